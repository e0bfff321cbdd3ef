namespace Router.Host.Ingest;

/// <summary>
/// Live counters of one camera, named as FindFace video-worker names its health statistics.
/// Written by the ingest and pipeline loops with Interlocked, read at any time through
/// <see cref="Snapshot"/>.
/// </summary>
public sealed class CameraStatistics
{
    private long _jobStarts, _framesDecoded, _framesProcessed, _framesDropped, _facesPosted, _facesFailed, _facesNotPosted, _decodingSoftErrors, _sceneCuts, _detectionsSkipped;
    private readonly long[] _notPostedByReason = new long[Enum.GetValues<FaceRejection>().Length];
    private long _processingStartTicks = Environment.TickCount64;
    private int _frameWidth, _frameHeight;
    private double _processedDuration;
    private volatile string? _lastError;
    private volatile CameraState _state = CameraState.Idle;
    // processing_fps over a sliding window: frames and time at the start of the window.
    private readonly object _fpsLock = new();
    private long _fpsWindowStart = Environment.TickCount64, _fpsWindowFrames;
    private double _processingFps;

    public void JobStarted() => Interlocked.Increment(ref _jobStarts);
    public void FrameDecoded() => Interlocked.Increment(ref _framesDecoded);
    public void FrameDropped() => Interlocked.Increment(ref _framesDropped);
    public void FacePosted() => Interlocked.Increment(ref _facesPosted);
    public void FaceFailed() => Interlocked.Increment(ref _facesFailed);
    public void FaceNotPosted(FaceRejection reason = FaceRejection.None)
    {
        Interlocked.Increment(ref _facesNotPosted);
        Interlocked.Increment(ref _notPostedByReason[(int)reason]);
    }
    public void SceneCut() => Interlocked.Increment(ref _sceneCuts);

    /// <summary>A processed frame the motion gate kept from the detector (no live track, no motion).</summary>
    public void DetectionSkipped() => Interlocked.Increment(ref _detectionsSkipped);
    public void DecodingSoftError() => Interlocked.Increment(ref _decodingSoftErrors);
    public void SetFrameSize(int width, int height) { _frameWidth = width; _frameHeight = height; }
    public void SetState(CameraState state) => _state = state;
    public void SetError(string? error) => _lastError = error;
    public CameraState State => _state;
    public long FramesProcessed => Interlocked.Read(ref _framesProcessed);
    public long FramesDecoded => Interlocked.Read(ref _framesDecoded);
    public long JobStarts => Interlocked.Read(ref _jobStarts);

    /// <summary>One frame went through detection, tracking and best shot; <paramref name="streamSeconds"/> is its stream time.</summary>
    public void FrameProcessed(double streamSeconds)
    {
        Interlocked.Increment(ref _framesProcessed);
        lock (_fpsLock)
        {
            _processedDuration = Math.Max(_processedDuration, streamSeconds);
            _fpsWindowFrames++;
            var now = Environment.TickCount64;
            var elapsed = now - _fpsWindowStart;
            if (elapsed >= 2000)
            {
                _processingFps = _fpsWindowFrames * 1000.0 / elapsed;
                _fpsWindowStart = now;
                _fpsWindowFrames = 0;
            }
        }
    }

    public CameraStatisticsSnapshot Snapshot()
    {
        double fps, duration;
        lock (_fpsLock)
        {
            fps = _processingFps;
            // Before the first full window, report the average since start.
            if (fps == 0 && _fpsWindowFrames > 0)
                fps = _fpsWindowFrames * 1000.0 / Math.Max(1, Environment.TickCount64 - _fpsWindowStart);
            duration = _processedDuration;
        }
        return new CameraStatisticsSnapshot
        {
            State = _state,
            JobStarts = Interlocked.Read(ref _jobStarts),
            FrameWidth = _frameWidth,
            FrameHeight = _frameHeight,
            FramesDecoded = Interlocked.Read(ref _framesDecoded),
            FramesProcessed = Interlocked.Read(ref _framesProcessed),
            FramesDropped = Interlocked.Read(ref _framesDropped),
            FacesPosted = Interlocked.Read(ref _facesPosted),
            FacesFailed = Interlocked.Read(ref _facesFailed),
            FacesNotPosted = Interlocked.Read(ref _facesNotPosted),
            FacesNotPostedByReason = new FacesNotPostedByReason(
                Interlocked.Read(ref _notPostedByReason[(int)FaceRejection.TooSmall]),
                Interlocked.Read(ref _notPostedByReason[(int)FaceRejection.TooLarge]),
                Interlocked.Read(ref _notPostedByReason[(int)FaceRejection.OutsideRoi]),
                Interlocked.Read(ref _notPostedByReason[(int)FaceRejection.LowQuality]),
                Interlocked.Read(ref _notPostedByReason[(int)FaceRejection.None])),
            ProcessingFps = Math.Round(fps, 2),
            ProcessedDuration = Math.Round(duration, 3),
            DecodingSoftErrors = Interlocked.Read(ref _decodingSoftErrors),
            SceneCuts = Interlocked.Read(ref _sceneCuts),
            DetectionsSkipped = Interlocked.Read(ref _detectionsSkipped),
            LastError = _lastError,
            UptimeSeconds = (Environment.TickCount64 - _processingStartTicks) / 1000.0,
        };
    }
}
