using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Router.Abstractions;
using Router.Host.Ingest;
using Router.Host.Tracking;
using Router.Models.Faces;
using Router.Models.Imaging;

namespace Router.Host.Pipeline;

/// <summary>
/// Everything one camera does: the ingest loop (ffmpeg → frame queue) and the processing
/// loop (detect → filter by size/roi → track → quality → best shot → face event → sink).
/// Both run until cancelled or, for a single-pass stream, until the stream ends, when every
/// live track is ended and its best shot posted.
/// </summary>
public sealed class CameraPipeline
{
    private readonly CameraDefinition _camera;
    private readonly CameraSettings _s;
    private readonly IFaceAnalyzer _analyzer;
    private readonly IFaceEventSink _sink;
    private readonly IEventIdGenerator _ids;
    private readonly ILogger _logger;
    private readonly DetectionOptions _detection;
    private readonly RegionOfInterest? _roi;
    private readonly FaceTracker _tracker;
    private readonly SceneCutDetector _sceneCuts;
    // Stream time of the last frame the detector ran on (the motion gate's clock); null before the first.
    private TimeSpan? _lastDetection;
    private readonly BestShotSelector _selector;
    // Reused every frame.
    private readonly List<FaceDetection> _detections = new(16);
    private BBox[] _boxes = new BBox[16];
    private Track?[] _assigned = new Track?[16];
    private readonly List<Track> _ended = new();
    private readonly List<BestShot> _posts = new();
    private int _run;

    public CameraPipeline(CameraDefinition camera, IFaceAnalyzer analyzer, IFaceEventSink sink, IEventIdGenerator ids, ILogger logger)
    {
        _camera = camera;
        _s = camera.Settings.Validated();
        _analyzer = analyzer;
        _sink = sink;
        _ids = ids;
        _logger = logger;
        _detection = new DetectionOptions { Tiles = _s.DetectTiles, MinFaceSize = Math.Max(1, Math.Min(DetectionOptions.Default.MinFaceSize, _s.FilterMinSize)) };
        _roi = RegionOfInterest.ParseOrNull(_s.Roi);
        _tracker = new FaceTracker(_s.TrackOverlapThreshold, _s.TrackMissInterval, _s.TrackMaxDurationFrames);
        _sceneCuts = new SceneCutDetector(_s.SceneCutThreshold);
        _selector = new BestShotSelector(_s.BsType, _s.RealtimePostInterval, _s.RealtimePostEveryInterval, _s.RealtimePostFirstImmediately);
    }

    public CameraDefinition Camera => _camera;
    public CameraStatistics Statistics { get; } = new();
    /// <summary>Tracks started so far.</summary>
    public long TracksStarted { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        var queue = FrameQueue.Create(_s, Statistics);
        var ingest = new CameraIngest(_camera, Statistics, _logger);
        // The ingest loop on its own task: it only waits on pipes and the queue.
        var ingestTask = Task.Run(() => ingest.RunAsync(queue.Writer, ct), CancellationToken.None);
        try
        {
            await ProcessAsync(queue.Reader, ct);
        }
        finally
        {
            // If processing stopped first (cancelled), stop accepting frames; then release leftovers.
            queue.Writer.TryComplete();
            await ingestTask;
            FrameQueue.Drain(queue.Reader);
        }
    }

    private async Task ProcessAsync(ChannelReader<VideoFrame> frames, CancellationToken ct)
    {
        try
        {
            while (await frames.WaitToReadAsync(ct))
            {
                while (frames.TryRead(out var frame))
                {
                    try
                    {
                        ProcessFrame(frame);
                        KeepLatest(frame);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Statistics.SetError($"processing frame {frame.Number}: {e.Message}");
                        _logger.LogError(e, "camera {CamId}: processing frame {Frame} failed", _camera.Id, frame.Number);
                    }
                    finally
                    {
                        frame.Release();
                    }
                    await PublishPostsAsync(ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        // End of stream or stop: every live track posts what it has.
        EndAllTracks(System.Diagnostics.Stopwatch.GetTimestamp());
        lock (_latestGate) { _latest?.Release(); _latest = null; }
        await PublishPostsAsync(ct.IsCancellationRequested ? CancellationToken.None : ct);
    }

    private long _triggerTicks;
    private readonly Lock _latestGate = new();
    private VideoFrame? _latest;

    /// <summary>Holds the last processed frame (one extra reference) for <see cref="Snapshot"/>, releasing the one before.</summary>
    private void KeepLatest(VideoFrame frame)
    {
        VideoFrame? previous;
        lock (_latestGate) { previous = _latest; _latest = frame.AddRef(); }
        previous?.Release();
    }

    /// <summary>
    /// The last frame this camera processed as a JPEG, or null before the first one. Encoded only when
    /// asked (the console's snapshot), from the frame the pipeline already holds: no cost per frame
    /// beyond keeping one frame's pixels alive a frame longer.
    /// </summary>
    public (byte[] Jpeg, DateTimeOffset Timestamp)? Snapshot(int quality = 80)
    {
        VideoFrame? frame;
        lock (_latestGate) frame = _latest?.AddRef();
        if (frame is null) return null;
        try { return (Router.Models.Imaging.JpegCodec.Encode(frame.Image, quality), frame.Timestamp); }
        finally { frame.Release(); }
    }

    /// <summary>Detection, tracking and best-shot selection for one frame; posts collect in _posts.</summary>
    internal void ProcessFrame(VideoFrame frame)
    {
        _triggerTicks = frame.ReceivedTicks;
        if (frame.Run != _run)
        {
            // A restarted stream is a discontinuity: frame numbers and time start again.
            EndAllTracks(frame.ReceivedTicks);
            _run = frame.Run;
            _sceneCuts.Reset();
            _lastDetection = null;
        }
        var image = frame.Image;
        if (_sceneCuts.IsCut(image))
        {
            // A new scene: nobody in it continues a track of the last one.
            EndAllTracks(frame.ReceivedTicks);
            Statistics.SceneCut();
        }
        var detections = _detections;
        detections.Clear();
        if (DetectsOn(frame)) _analyzer.Detect(image, _detection, detections);
        else Statistics.DetectionSkipped();
        int n = detections.Count;
        if (_boxes.Length < n)
        {
            _boxes = new BBox[n * 2];
            _assigned = new Track?[n * 2];
        }
        for (int i = 0; i < n; i++) _boxes[i] = detections[i].Box;

        _tracker.Update(_boxes.AsSpan(0, n), frame.Number, frame.StreamTime, frame.Timestamp, _assigned, _ended);
        // Close the realtime intervals that ended before this frame, then offer this frame's faces.
        _selector.Tick(_tracker.Live, frame.StreamTime, _posts);
        for (int i = 0; i < n; i++)
        {
            var track = _assigned[i]!;
            if (track.Hits == 1 && track.StartFrame == frame.Number) TracksStarted++;
            var det = detections[i];
            var rejection = Geometry(det.Box);
            if (rejection != FaceRejection.None) { track.LastRejection = rejection; continue; }
            var analysis = _analyzer.Analyze(image, det, FaceFeatures.Quality);
            float quality = analysis.Attributes.Quality?.Score ?? 0f;
            if (quality < _s.FilterMinQuality) { track.LastRejection = FaceRejection.LowQuality; continue; }
            var candidate = new BestShotCandidate(frame, frame.Number, frame.StreamTime, frame.Timestamp, det.Box, det.Score, quality, analysis.Landmarks);
            _selector.Offer(track, candidate, _posts);
        }
        EndTracks(frame.ReceivedTicks);
        Statistics.FrameProcessed(frame.StreamTime.TotalSeconds);
    }

    /// <summary>
    /// The motion gate: with no live track, a frame that barely moved since the last one goes without the
    /// detector, except once every <see cref="CameraSettings.MotionGateInterval"/> of stream time.
    /// A track that is live keeps the detector on every frame, so gating never ends or delays a track.
    /// </summary>
    private bool DetectsOn(VideoFrame frame)
    {
        bool detect = _s.MotionGateInterval <= 0 || _tracker.Live.Count > 0 || _sceneCuts.LastMovedShare >= _s.MotionMinShare
                      || _lastDetection is not { } last || frame.StreamTime - last >= TimeSpan.FromSeconds(_s.MotionGateInterval)
                      || frame.StreamTime < last; // a stream restarted: time begins again
        if (detect) _lastDetection = frame.StreamTime;
        return detect;
    }

    private FaceRejection Geometry(BBox box)
    {
        int size = Math.Max(box.Width, box.Height);
        if (size < _s.FilterMinSize) return FaceRejection.TooSmall;
        if (size > _s.FilterMaxSize) return FaceRejection.TooLarge;
        return _roi == null || _roi.Contains(box) ? FaceRejection.None : FaceRejection.OutsideRoi;
    }

    private void EndAllTracks(long triggerTicks)
    {
        _tracker.EndAll(_ended);
        EndTracks(triggerTicks);
    }

    private void EndTracks(long triggerTicks)
    {
        _triggerTicks = triggerTicks;
        foreach (var track in _ended)
            if (!_selector.End(track, _posts)) Statistics.FaceNotPosted(track.LastRejection);
        _ended.Clear();
    }

    private async ValueTask PublishPostsAsync(CancellationToken ct)
    {
        if (_posts.Count == 0) return;
        try
        {
            foreach (var post in _posts)
            {
                FaceEvent? faceEvent = null;
                try
                {
                    faceEvent = BuildEvent(post);
                }
                catch (Exception e)
                {
                    Statistics.FaceFailed();
                    _logger.LogError(e, "camera {CamId}: cannot build the event of track {TrackId}", _camera.Id, post.Track.Id);
                }
                finally
                {
                    post.Candidate.Release();
                }
                if (faceEvent == null) continue;
                try
                {
                    await _sink.PublishAsync(faceEvent, ct);
                    Statistics.FacePosted();
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception e)
                {
                    Statistics.FaceFailed();
                    Statistics.SetError($"posting a face: {e.Message}");
                    _logger.LogWarning(e, "camera {CamId}: the sink refused event {EventId}", _camera.Id, faceEvent.EventId);
                }
                finally
                {
                    // The pixels were lent for PublishAsync only: a sink that needed them longer kept its own holder.
                    faceEvent.Pixels?.Dispose();
                }
            }
        }
        finally
        {
            foreach (var post in _posts) post.Candidate.Release();
            _posts.Clear();
        }
    }

    private FaceEvent BuildEvent(BestShot post)
    {
        var c = post.Candidate;
        var t = post.Track;
        var image = c.Frame?.Image ?? throw new InvalidOperationException("best shot without pixels");
        var photo = JpegCodec.Encode(image, _s.JpegQuality);
        byte[] face0;
        using (var aligned = _analyzer.Align(image, c.Landmarks))
            face0 = JpegCodec.Encode(aligned, _s.JpegQuality);
        var request = new FaceRequest
        {
            Photo = photo,
            Face0 = face0,
            BBox = c.Box,
            CamId = _camera.Id,
            Timestamp = c.Timestamp,
            BsType = _selector.BsType,
            Labels = _s.Labels,
            DetectorParams = new DetectorParams
            {
                TrackId = t.Id,
                Frame = c.FrameNumber,
                DetectionScore = c.DetectionScore,
                Quality = c.Quality,
                TrackStartFrame = t.StartFrame,
                TrackStart = t.StartTimestamp,
                TrackEndFrame = post.TrackEnded ? t.LastFrame : null,
                TrackEnd = post.TrackEnded ? t.LastTimestamp : null,
            },
        };
        return new FaceEvent
        {
            EventId = _ids.Next(),
            Request = request,
            TrackEnded = post.TrackEnded,
            FrameReceivedTicks = c.Frame.ReceivedTicks,
            TriggerReceivedTicks = _triggerTicks,
            Pixels = new BestShotPixels(c.Frame, c.Landmarks),
        };
    }
}
