using System.Drawing;
using Router.Galleries.Detections;
using Router.Abstractions;
using Router.Models.Faces;
using Router.Models.Imaging;

namespace Router.Host.Routing;

/// <summary>
/// Computes the union of the features the plugins asked for, once per face: runs exactly the
/// models those features need on the frame at the request's box, and caches the detection
/// (for Detection filters and adds) when Facen was asked for.
/// </summary>
public sealed class FaceFeatureExtractor(IFaceAnalyzer analyzer, IDetectionCache detections)
{
    /// <summary>The features that need a model; Detection alone needs none beyond the detector that already ran.</summary>
    public const FaceFeatures ModelFeatures = FaceFeatures.Facen | FaceFeatures.Gender | FaceFeatures.Age | FaceFeatures.Emotions
        | FaceFeatures.Liveness | FaceFeatures.Quality | FaceFeatures.Pose | FaceFeatures.Eyes;

    /// <param name="decodedFrame">The frame the video pipeline already decoded; null: the request's JPEG photo is decoded here.</param>
    /// <param name="landmarks">
    /// The landmarks the pipeline computed for the request's box on <paramref name="decodedFrame"/>; null: the
    /// analyzer computes them. Only with <paramref name="decodedFrame"/>: on the re-decoded JPEG they would be
    /// another picture's.
    /// </param>
    public async ValueTask<DetectFace> ExtractAsync(FaceRequest request, BgrImage? decodedFrame, PointF[]? landmarks, FaceFeatures features, CancellationToken ct)
    {
        if (landmarks is not null && decodedFrame is null)
            throw new ArgumentException("landmarks come only with the frame they were computed on", nameof(landmarks));
        var basic = new DetectFace { BBox = request.BBox, DetectionScore = request.DetectorParams.DetectionScore };
        var models = features & ModelFeatures;
        if (models == FaceFeatures.None) return basic;

        FaceAnalysis analysis;
        var frame = decodedFrame ?? JpegCodec.Decode(request.Photo.Span);
        try
        {
            var box = request.BBox;
            if (box.Width <= 0 || box.Height <= 0 || box.Left < 0 || box.Top < 0 || box.Right > frame.Width || box.Bottom > frame.Height)
                throw RouterException.BadParam("bbox", $"[{box.Left},{box.Top},{box.Right},{box.Bottom}]",
                    $"the face box is empty or outside the {frame.Width}x{frame.Height} frame");
            analysis = analyzer.Analyze(frame, new FaceDetection(box, request.DetectorParams.DetectionScore), models, landmarks);
        }
        catch (RouterException) { throw; }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new RouterException(ErrorCodes.ExtractionError, $"feature extraction failed: {e.Message}", inner: e);
        }
        finally
        {
            if (decodedFrame is null) frame.Dispose();
        }

        var full = basic with { Features = analysis.Attributes, Facen = analysis.Embedding };
        if (models.HasFlag(FaceFeatures.Facen))
        {
            if (analysis.Embedding is null)
                throw new RouterException(ErrorCodes.ExtractionError, "the analyzer returned no embedding although Facen was asked for");
            full = await detections.AddAsync(full, ct).ConfigureAwait(false);
        }
        return full;
    }
}
