using System.Collections.Concurrent;
using Router.Abstractions;
using Router.Models.Faces;
using Router.Models.Imaging;

namespace Router.Host.Evaluation;

/// <summary>
/// Runs photos through exactly the pipeline the API and the cameras use (decode with EXIF
/// orientation, detect, 68 landmarks, align, embed; quality too, for the quality curves), on
/// every core, one shared analyzer (ORT sessions are thread-safe).
/// </summary>
public sealed class PhotoEmbedder(FaceAnalyzer analyzer, FaceChoice choice, Degradation? degradation = null)
{
    public PhotoEmbedding Embed(string root, string relativePath)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(Path.Combine(root, relativePath)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return PhotoEmbedding.Failed(relativePath, ErrorCodes.NotFound, e.Message);
        }
        try
        {
            using var decoded = ImageDecoder.Decode(bytes);
            using var degraded = degradation?.Apply(decoded.Image);
            var image = degraded ?? decoded.Image;
            var faces = analyzer.Detect(image);
            if (faces.Count == 0) return PhotoEmbedding.Failed(relativePath, "NO_FACE", "no face found");
            var face = Choose(faces, image.Width, image.Height);
            var analysis = analyzer.Analyze(image, face, FaceFeatures.Facen | FaceFeatures.Quality);
            return new PhotoEmbedding(relativePath, null, null, face.Box, face.Score, analysis.Attributes.Quality?.Score ?? 0,
                LandmarkPose.Estimate(analysis.Landmarks).Yaw, analysis.Embedding);
        }
        catch (RouterException e)
        {
            return PhotoEmbedding.Failed(relativePath, e.Code, e.Reason);
        }
    }

    public FaceDetection Choose(IReadOnlyList<FaceDetection> faces, int width, int height) => choice switch
    {
        FaceChoice.Center => faces.MinBy(f => Sq((f.Box.Left + f.Box.Right) / 2.0 - width / 2.0) + Sq((f.Box.Top + f.Box.Bottom) / 2.0 - height / 2.0)),
        _ => faces.OrderByDescending(f => f.Box.Area).ThenByDescending(f => f.Score).First(),
    };

    /// <summary>Embeds every path not in <paramref name="known"/>, reporting progress as it goes.</summary>
    public IReadOnlyDictionary<string, PhotoEmbedding> EmbedAll(string root, IReadOnlyCollection<string> paths,
        IReadOnlyDictionary<string, PhotoEmbedding> known, Action<int, int>? progress, CancellationToken ct)
    {
        var result = new ConcurrentDictionary<string, PhotoEmbedding>(StringComparer.Ordinal);
        var todo = new List<string>();
        foreach (var p in paths)
            if (known.TryGetValue(p, out var k)) result[p] = k;
            else todo.Add(p);
        var done = 0;
        Parallel.ForEach(todo, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct }, path =>
        {
            result[path] = Embed(root, path);
            progress?.Invoke(Interlocked.Increment(ref done), todo.Count);
        });
        return result;
    }

    private static double Sq(double v) => v * v;
}
