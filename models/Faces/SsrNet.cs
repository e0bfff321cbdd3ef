using Router.Models.Imaging;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// The SSR-Net shape shared by fr_age and fr_gender: the box ×1.4, 64×64, ImageNet mean/std;
/// nine outputs (three stages of probabilities, scale deltas and index offsets) merged into
/// one regression value by the SSR-Net formula.
/// </summary>
public abstract class SsrNet : ModelRunner
{
    public const int Size = 64;
    private static readonly string[] OutputOrder =
    [
        "prob_stage_1", "prob_stage_2", "prob_stage_3", "stage1_delta_k", "stage2_delta_k", "stage3_delta_k",
        "index_offset_stage1", "index_offset_stage2", "index_offset_stage3",
    ];
    private readonly int[] _offsets;
    private readonly int[] _lengths;

    protected SsrNet(OrtSession session, ChannelOrder order) : base(session)
    {
        Order = order;
        _offsets = new int[OutputOrder.Length];
        _lengths = new int[OutputOrder.Length];
        for (var i = 0; i < OutputOrder.Length; i++)
        {
            var index = session.OutputIndex(OutputOrder[i]);
            _offsets[i] = session.OutputOffset(index);
            _lengths[i] = session.OutputOffset(index + 1) - _offsets[i];
        }
    }

    public ChannelOrder Order { get; }

    // ImageNet statistics in pixel units for planes 0, 1, 2. They stay tied to the plane, not
    // to the colour: with BGR pixels that is how the model behaves best (gender: 18 vs 17 of
    // 22 with the statistics swapped along with the colours).
    private static readonly float[] MeanByPlane = [0.485f * 255, 0.456f * 255, 0.406f * 255];
    private static readonly float[] ScaleByPlane = [1 / (0.229f * 255), 1 / (0.224f * 255), 1 / (0.225f * 255)];

    /// <summary>The merged SSR-Net value in 0..1 (× 101 = years for age; the male score for gender).</summary>
    protected float Regress(BgrImage image, System.Drawing.RectangleF region) => Run((this, image, region), static (s, input) =>
            TensorSampler.ResizeToPlanes(s.image, s.region, Size, Size, input, s.Item1.Order, MeanByPlane, ScaleByPlane),
        static (s, output) =>
        {
            Span<float> x = stackalloc float[21];
            var at = 0;
            for (var i = 0; i < s.Item1._offsets.Length; i++)
            {
                output.Slice(s.Item1._offsets[i], s.Item1._lengths[i]).CopyTo(x[at..]);
                at += s.Item1._lengths[i];
            }
            return Merge(x, 3, 3, 3, 1, 1);
        });

    private static float Merge(ReadOnlySpan<float> x, int s1, int s2, int s3, float lambdaLocal, float lambdaD)
    {
        float a = 0, b = 0, c = 0;
        for (var i = 0; i < s1; i++) a += (i + lambdaLocal * x[12 + i]) * x[i];
        a /= s1 * (1 + lambdaD * x[9]);
        for (var i = 0; i < s2; i++) b += (i + lambdaLocal * x[15 + i]) * x[3 + i];
        b /= s1 * (1 + lambdaD * x[9]) * (s2 * (1 + lambdaD * x[10]));
        for (var i = 0; i < s3; i++) c += (i + lambdaLocal * x[18 + i]) * x[6 + i];
        c /= s1 * (1 + lambdaD * x[9]) * (s2 * (1 + lambdaD * x[10])) * (s3 * (1 + lambdaD * x[11]));
        return a + b + c;
    }
}
