using System.Numerics.Tensors;
using Router.Models.Imaging;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// fr_feature (ArcFace-style, 512-d): the aligned 112×112 face, RGB, (v − 127) / 128. RGB
/// because it separates people better: on the 22 sample faces the worst impostor pair scored
/// 0.568 with RGB and 0.730 with BGR (same faces after rescale+recompress: ≥ 0.94). The output
/// is L2-normalised here so that cosine similarity is a plain dot product.
/// </summary>
public sealed class FaceEmbedder(OrtSession session, ChannelOrder order = ChannelOrder.Rgb) : ModelRunner(session)
{
    public const int Dimensions = 512;

    public ChannelOrder Order { get; } = order;

    public float[] Embed(BgrImage alignedFace)
    {
        if (alignedFace.Width != FaceAligner.Size || alignedFace.Height != FaceAligner.Size)
            throw new ArgumentException($"the embedder takes an aligned {FaceAligner.Size}×{FaceAligner.Size} face", nameof(alignedFace));
        return Run((alignedFace, Order), static (s, input) => TensorPacking.Planes(s.alignedFace, input, s.Order, 127f, 1f / 128f),
            static (_, output) => Normalized(output));
    }

    /// <summary>
    /// Embeds the face that <paramref name="imageToTemplate"/> (from <see cref="FaceAligner.ImageToTemplate"/>)
    /// aligns, warping straight from the frame into the input tensor: no aligned image is made.
    /// Same input as aligning then <see cref="Embed(BgrImage)"/>.
    /// </summary>
    public float[] Embed(BgrImage image, AffineMatrix imageToTemplate) => EmbedWarp(image, imageToTemplate.Invert());

    /// <summary>
    /// As <see cref="Embed(BgrImage, AffineMatrix)"/>; with <paramref name="withMirror"/> the embedding is the
    /// normalised mean of the face's and its mirror image's embeddings (test-time augmentation: a second
    /// model run; what it buys and costs is measured with <c>router eval</c> in the README).
    /// </summary>
    public float[] Embed(BgrImage image, AffineMatrix imageToTemplate, bool withMirror)
    {
        var templateToImage = imageToTemplate.Invert();
        var embedding = EmbedWarp(image, templateToImage);
        if (!withMirror) return embedding;
        var mirrored = EmbedWarp(image, FaceAligner.Mirrored(templateToImage));
        TensorPrimitives.Add(embedding, mirrored, embedding);
        return NormalizeInPlace(embedding);
    }

    private float[] EmbedWarp(BgrImage image, AffineMatrix templateToImage) =>
        Run((image, templateToImage, Order), static (s, input) => Preprocess(s.image, s.templateToImage, s.Order, input),
            static (_, output) => Normalized(output));

    /// <summary>The model's input: the 112×112 warp, planes in <paramref name="order"/>, (v − 127) / 128, in one pass.</summary>
    public static void Preprocess(BgrImage image, AffineMatrix templateToImage, ChannelOrder order, Span<float> input) =>
        TensorSampler.WarpToPlanes(image, templateToImage, FaceAligner.Size, FaceAligner.Size, input, order, 127f, 1f / 128f);

    /// <summary>The L2-normalised embedding of one run's output.</summary>
    public static float[] Normalized(ReadOnlySpan<float> output)
    {
        return NormalizeInPlace(output[..Dimensions].ToArray());
    }

    private static float[] NormalizeInPlace(float[] embedding)
    {
        var norm = TensorPrimitives.Norm(embedding);
        if (norm > 0) TensorPrimitives.Divide(embedding, norm, embedding);
        return embedding;
    }

    /// <summary>Cosine similarity of two L2-normalised embeddings.</summary>
    public static float Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => TensorPrimitives.Dot(a, b);
}
