using System.Buffers;
using System.Drawing;
using Router.Abstractions;
using Router.Models.Imaging;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// fr_detect (an Ultra-Light RFB-320 detector): the frame, or each tile of it, resized to
/// 320×240, BGR planes, (v − 127) / 128 — BGR because it found more of the 22 sample faces
/// at higher scores than RGB did (see the channel-order test). Its outputs are already
/// softmaxed scores and decoded corner boxes in 0..1. Boxes from every pass are merged by
/// score-ordered NMS (the vendor's JS sorted by y2 instead) and made square (side = height,
/// as the vendor does, which the landmark model expects).
/// </summary>
public sealed class FaceDetector : ModelRunner
{
    public const int InputWidth = 320, InputHeight = 240;
    /// <summary>Tiles are twice the input size, so a face shrinks 2× instead of the whole frame's 6×.</summary>
    public const int TileWidth = 640, TileHeight = 480;
    private readonly int _scoresOffset, _boxesOffset, _anchors;

    public FaceDetector(OrtSession session, ChannelOrder order = ChannelOrder.Bgr) : base(session)
    {
        Order = order;
        _scoresOffset = session.OutputOffset(session.OutputIndex("scores"));
        _boxesOffset = session.OutputOffset(session.OutputIndex("boxes"));
        _anchors = (int)session.OutputShapes[session.OutputIndex("scores")][1];
    }

    public ChannelOrder Order { get; }

    public IReadOnlyList<FaceDetection> Detect(BgrImage image, DetectionOptions options)
    {
        var faces = new List<FaceDetection>();
        Detect(image, options, faces);
        return faces;
    }

    /// <summary>
    /// Appends the faces to <paramref name="faces"/>, highest score first. With a reused list this
    /// allocates nothing per call once warm: the tensors are pooled and the candidate lists are
    /// per-thread scratch (the video pipeline calls this per frame on every camera thread).
    /// </summary>
    public void Detect(BgrImage image, DetectionOptions options, List<FaceDetection> faces)
    {
        if (options.ScoreThreshold is < 0 or > 1) throw RouterException.BadParam("score_threshold", options.ScoreThreshold, "score threshold must be in 0..1");
        if (options.NmsThreshold is <= 0 or > 1) throw RouterException.BadParam("nms_threshold", options.NmsThreshold, "NMS threshold must be in (0, 1]");
        var candidates = t_candidates ??= new List<(RectangleF, float)>(64);
        candidates.Clear();
        var input = ArrayPool<float>.Shared.Rent(Session.InputLength);
        var output = ArrayPool<float>.Shared.Rent(Session.OutputLength);
        try
        {
            DetectRegion(image, new RectangleF(0, 0, image.Width, image.Height), options.ScoreThreshold, candidates, input, output);
            if (options.Tiles)
                foreach (var tile in Tiles(image.Width, image.Height))
                    DetectRegion(image, tile, options.ScoreThreshold, candidates, input, output);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(input);
            ArrayPool<float>.Shared.Return(output);
        }
        Suppress(candidates, options, image.Width, image.Height, faces);
    }

    /// <summary>
    /// The detector's input for <paramref name="region"/> of the frame: resized to 320×240,
    /// planes in <see cref="Order"/>, (v − 127) / 128, in one pass (<see cref="TensorSampler"/>).
    /// </summary>
    public void Preprocess(BgrImage image, RectangleF region, Span<float> input) =>
        TensorSampler.ResizeToPlanes(image, region, InputWidth, InputHeight, input[..Session.InputLength], Order, 127f, 1f / 128f);

    /// <summary>Boxes scoring at least <paramref name="threshold"/> in one run's output, mapped back into <paramref name="region"/>.</summary>
    public void Collect(ReadOnlySpan<float> output, RectangleF region, float threshold, List<(RectangleF Box, float Score)> found)
    {
        var scores = output.Slice(_scoresOffset, _anchors * 2);
        var boxes = output.Slice(_boxesOffset, _anchors * 4);
        for (var i = 0; i < _anchors; i++)
        {
            var s = scores[i * 2 + 1];
            if (s < threshold) continue;
            float x1 = region.X + boxes[i * 4] * region.Width, y1 = region.Y + boxes[i * 4 + 1] * region.Height;
            float x2 = region.X + boxes[i * 4 + 2] * region.Width, y2 = region.Y + boxes[i * 4 + 3] * region.Height;
            if (x2 <= x1 || y2 <= y1) continue;
            found.Add((RectangleF.FromLTRB(x1, y1, x2, y2), s));
        }
    }

    /// <summary>
    /// Score-ordered NMS over <paramref name="candidates"/> (sorted in place), then each kept box
    /// made square (side = height) and clipped; appends to <paramref name="faces"/>.
    /// </summary>
    public static void Suppress(List<(RectangleF Box, float Score)> candidates, DetectionOptions options, int imageWidth, int imageHeight, List<FaceDetection> faces)
    {
        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var kept = t_kept ??= new List<(RectangleF, float)>(16);
        kept.Clear();
        foreach (var c in candidates)
        {
            var suppressed = false;
            foreach (var k in kept)
                if (IoU(c.Box, k.Item1) > options.NmsThreshold) { suppressed = true; break; }
            if (!suppressed) kept.Add(c);
        }
        foreach (var (box, score) in kept)
        {
            if (box.Height < options.MinFaceSize) continue;
            var side = box.Height;
            float cx = box.X + box.Width / 2, cy = box.Y + box.Height / 2;
            var l = (int)MathF.Round(MathF.Max(0, cx - side / 2));
            var t = (int)MathF.Round(MathF.Max(0, cy - side / 2));
            var r = (int)MathF.Round(MathF.Min(imageWidth, cx + side / 2));
            var b = (int)MathF.Round(MathF.Min(imageHeight, cy + side / 2));
            if (r - l < 2 || b - t < 2) continue;
            faces.Add(new FaceDetection(new BBox(l, t, r, b), score));
        }
    }

    // Per-thread scratch for Detect and Suppress: reused, so a warm call allocates no list.
    [ThreadStatic] private static List<(RectangleF, float)>? t_candidates;
    [ThreadStatic] private static List<(RectangleF, float)>? t_kept;

    /// <summary>Overlapping 640×480 tiles covering the frame (none when the frame is no larger than one tile).</summary>
    public static IEnumerable<RectangleF> Tiles(int width, int height)
    {
        if (width <= TileWidth && height <= TileHeight) yield break;
        int tw = Math.Min(TileWidth, width), th = Math.Min(TileHeight, height);
        // A quarter of a tile overlaps its neighbour, so a face up to ~120 px lies whole in one tile;
        // bigger faces are found by the whole-frame pass.
        int cols = width <= tw ? 1 : (int)Math.Ceiling((width - tw) / (tw * 0.75)) + 1;
        int rows = height <= th ? 1 : (int)Math.Ceiling((height - th) / (th * 0.75)) + 1;
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++)
            {
                float x = cols == 1 ? 0 : (float)(width - tw) * c / (cols - 1);
                float y = rows == 1 ? 0 : (float)(height - th) * r / (rows - 1);
                yield return new RectangleF(x, y, tw, th);
            }
    }

    private void DetectRegion(BgrImage image, RectangleF region, float threshold, List<(RectangleF, float)> found, float[] input, float[] output)
    {
        var inSpan = input.AsSpan(0, Session.InputLength);
        Preprocess(image, region, inSpan);
        Runner.Run(inSpan, output.AsSpan(0, Session.OutputLength), CancellationToken.None);
        Collect(output.AsSpan(0, Session.OutputLength), region, threshold, found);
    }

    private static float IoU(RectangleF a, RectangleF b)
    {
        var i = RectangleF.Intersect(a, b);
        if (i.Width <= 0 || i.Height <= 0) return 0;
        var inter = i.Width * i.Height;
        return inter / (a.Width * a.Height + b.Width * b.Height - inter);
    }
}
