using System.Drawing;
using Router.Abstractions;
using Router.Models.Faces;
using Router.Models.Imaging;

namespace Router.Host.Tests.Routing;

/// <summary>
/// An <see cref="IFaceAnalyzer"/> for router tests until the models branch is merged: it
/// computes every requested feature from the pixels of the face box (so different faces give
/// different values) and records each call's features, so tests can check the router ran the
/// models exactly once with the union of what plugins asked for, on which image, and whether
/// the landmarks were given or had to be computed.
/// </summary>
public sealed class RecordingFaceAnalyzer : IFaceAnalyzer
{
    private readonly List<RecordedAnalysis> _calls = [];

    public IReadOnlyList<FaceFeatures> Calls { get { lock (_calls) return _calls.Select(c => c.Features).ToList(); } }

    public IReadOnlyList<RecordedAnalysis> Analyses { get { lock (_calls) return _calls.ToList(); } }

    public FaceAnalysis Analyze(BgrImage image, FaceDetection face, FaceFeatures features, PointF[]? landmarks = null)
    {
        lock (_calls) _calls.Add(new RecordedAnalysis(features, image, landmarks is not null));
        var (b, g, r) = MeanColour(image, face.Box);
        var attributes = new FaceAttributes
        {
            Gender = features.HasFlag(FaceFeatures.Gender) ? new GenderEstimate(r > b ? "female" : "male", 0.9f) : null,
            Age = features.HasFlag(FaceFeatures.Age) ? (int)(20 + g / 8) : null,
            Emotions = features.HasFlag(FaceFeatures.Emotions) ? [new EmotionScore("neutral", 0.8f)] : null,
            Liveness = features.HasFlag(FaceFeatures.Liveness) ? new LivenessEstimate(true, 0.9f) : null,
            Quality = features.HasFlag(FaceFeatures.Quality) ? new FaceQuality((float)(g / 255), []) : null,
            Pose = features.HasFlag(FaceFeatures.Pose) ? new HeadPose(0, 0, 0) : null,
            Eyes = features.HasFlag(FaceFeatures.Eyes) ? new EyesState(false, false, 0.1f, 0.1f) : null,
        };
        float[]? embedding = null;
        if (features.HasFlag(FaceFeatures.Facen))
        {
            embedding = new float[512];
            var rng = new Random(HashCode.Combine(face.Box, (int)b, (int)g, (int)r));
            double norm = 0;
            for (int i = 0; i < embedding.Length; i++) { embedding[i] = (float)(rng.NextDouble() - 0.5); norm += embedding[i] * embedding[i]; }
            for (int i = 0; i < embedding.Length; i++) embedding[i] /= (float)Math.Sqrt(norm);
        }
        return new FaceAnalysis { Detection = face, Landmarks = landmarks ?? new PointF[68], Attributes = attributes, Embedding = embedding };
    }

    private static (double B, double G, double R) MeanColour(BgrImage image, BBox box)
    {
        double b = 0, g = 0, r = 0;
        long n = 0;
        for (int y = box.Top; y < box.Bottom; y += 2)
        {
            var row = image.Row(y);
            for (int x = box.Left; x < box.Right; x += 2, n++)
            {
                b += row[x * 3]; g += row[x * 3 + 1]; r += row[x * 3 + 2];
            }
        }
        return n == 0 ? (0, 0, 0) : (b / n, g / n, r / n);
    }

    public IReadOnlyList<FaceDetection> Detect(BgrImage image, DetectionOptions? options = null) =>
        throw new NotSupportedException("the router never detects: faces come with their box");

    public void Detect(BgrImage image, DetectionOptions? options, List<FaceDetection> faces) =>
        throw new NotSupportedException("the router never detects: faces come with their box");

    public ImageAnalysis AnalyzeImage(ReadOnlySpan<byte> encodedImage, FaceFeatures features, DetectionOptions? options = null, DecodeLimits? limits = null) =>
        throw new NotSupportedException("the router never detects: faces come with their box");

    public BgrImage Align(BgrImage image, ReadOnlySpan<PointF> landmarks) =>
        throw new NotSupportedException("the router does not align");
}
