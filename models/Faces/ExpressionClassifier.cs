using Router.Abstractions;
using Router.Models.Imaging;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// fr_expression: the box grown 1.2× right and down, 224×224, v / 255; softmax over seven
/// emotions. The slowest model by far (~65 ms), so it runs only when emotions are asked for.
/// </summary>
public sealed class ExpressionClassifier(OrtSession session, ChannelOrder order = ChannelOrder.Rgb) : ModelRunner(session)
{
    public const int Size = 224;
    /// <summary>The model's output order; "happy" is the vendor's "smile".</summary>
    public static readonly string[] Emotions = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    public ChannelOrder Order { get; } = order;

    /// <summary>The seven emotions, most likely first; probabilities sum to 1.</summary>
    public IReadOnlyList<EmotionScore> Classify(BgrImage image, BBox box)
    {
        var region = FaceCrops.GrownRightDown(box, 1.2f, image.Width, image.Height);
        return Run((image, region, Order), static (s, input) => TensorSampler.ResizeToPlanes(s.image, s.region, Size, Size, input, s.Order, 0f, 1f / 255f),
            static (_, output) =>
            {
                var p = output[..Emotions.Length];
                TensorPacking.Softmax(p);
                var list = new EmotionScore[Emotions.Length];
                for (var i = 0; i < list.Length; i++) list[i] = new EmotionScore(Emotions[i], p[i]);
                Array.Sort(list, (a, b) => b.Confidence.CompareTo(a.Confidence));
                return list;
            });
    }
}
