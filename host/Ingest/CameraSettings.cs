using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Router.Abstractions;

namespace Router.Host.Ingest;

/// <summary>
/// Per-camera stream and face-detector settings, named as FindFace video-worker names them
/// (<c>stream_settings</c> and <c>stream_settings.detectors.face</c>) so that CCTV operators
/// recognise them. Defaults follow FindFace; the reconnect settings are ours (FindFace does
/// not document its own).
/// </summary>
public sealed record CameraSettings
{
    /// <summary>Frames per second given to the detector; the rest are skipped inside ffmpeg before colour conversion. 0 = every frame.</summary>
    [JsonPropertyName("detect_fps"), ConfigurationKeyName("detect_fps")] public double DetectFps { get; init; } = 5;
    /// <summary>Files only: -1 = as fast as possible, 1 = real time, other positive values = that many times real time.</summary>
    [JsonPropertyName("play_speed"), ConfigurationKeyName("play_speed")] public double PlaySpeed { get; init; } = -1;
    /// <summary>Seconds without a frame after which the stream is considered stalled and ffmpeg is killed and restarted.</summary>
    [JsonPropertyName("stall_timeout"), ConfigurationKeyName("stall_timeout")] public double StallTimeout { get; init; } = 5;
    /// <summary>Seconds allowed for the first frame after ffmpeg starts (connect, probe, first key frame).</summary>
    [JsonPropertyName("first_frame_timeout"), ConfigurationKeyName("first_frame_timeout")] public double FirstFrameTimeout { get; init; } = 10;
    /// <summary>First restart delay in seconds; doubles after each failed run up to <see cref="RestartMaxDelay"/>.</summary>
    [JsonPropertyName("restart_min_delay"), ConfigurationKeyName("restart_min_delay")] public double RestartMinDelay { get; init; } = 0.5;
    [JsonPropertyName("restart_max_delay"), ConfigurationKeyName("restart_max_delay")] public double RestartMaxDelay { get; init; } = 10;
    /// <summary>When true, the stream is not restarted after it ends or fails (files, replay).</summary>
    [JsonPropertyName("single_pass"), ConfigurationKeyName("single_pass")] public bool SinglePass { get; init; }
    /// <summary>Use the stream's presentation time (plus <see cref="StartStreamTimestamp"/>) instead of the wall clock.</summary>
    [JsonPropertyName("use_stream_timestamp"), ConfigurationKeyName("use_stream_timestamp")] public bool UseStreamTimestamp { get; init; }
    /// <summary>Unix time in seconds added to stream time when <see cref="UseStreamTimestamp"/> is set.</summary>
    [JsonPropertyName("start_stream_timestamp"), ConfigurationKeyName("start_stream_timestamp")] public double StartStreamTimestamp { get; init; }
    /// <summary>RTSP transport: "tcp" (default, what survives NAT and loss) or "udp".</summary>
    [JsonPropertyName("rtsp_transport"), ConfigurationKeyName("rtsp_transport")] public string RtspTransport { get; init; } = "tcp";
    /// <summary>Extra ffmpeg input options, e.g. ["-stream_loop", "-1"].</summary>
    [JsonPropertyName("ffmpeg_params"), ConfigurationKeyName("ffmpeg_params")] public IReadOnlyList<string> FfmpegParams { get; init; } = [];
    /// <summary>
    /// Network streams: decode each frame as soon as its packets are in (ffmpeg <c>-flags low_delay</c>, which turns
    /// frame threading off). On by default: on 2 cores it took 40–80 ms off the median time from a face's first frame to its
    /// Watchlist alert (`router bench latency`, README); decoding then uses at most slice threads, which a
    /// 720p25 stream does not need.
    /// </summary>
    [JsonPropertyName("low_delay"), ConfigurationKeyName("low_delay")] public bool LowDelay { get; init; } = true;
    /// <summary>Frames wider than this are scaled down (aspect kept) before detection; 0 = no scaling.</summary>
    [JsonPropertyName("max_frame_width"), ConfigurationKeyName("max_frame_width")] public int MaxFrameWidth { get; init; }
    /// <summary>Decoded frames waiting for the detector; when full the oldest is dropped and counted.</summary>
    [JsonPropertyName("frame_queue_size"), ConfigurationKeyName("frame_queue_size")] public int FrameQueueSize { get; init; } = 4;
    /// <summary>Never drop frames: ffmpeg waits for the detector (replay, tests).</summary>
    [JsonPropertyName("disable_drops"), ConfigurationKeyName("disable_drops")] public bool DisableDrops { get; init; }
    /// <summary>Also run the detector on overlapping tiles (small faces in large frames).</summary>
    [JsonPropertyName("detect_tiles"), ConfigurationKeyName("detect_tiles")] public bool DetectTiles { get; init; }

    /// <summary>
    /// Smallest face (the box's larger side, px) that is posted. 40 by default, where recognition really
    /// starts to fail: with router eval on LFW's development photos degraded like camera frames, TAR at
    /// FAR 1e-5 was 91% for faces of about 130 px, 84% at 65 px, 65% at 45 px and 22% at 32 px, where the
    /// impostor scores also drift above the calibration (README, "Quality gates").
    /// </summary>
    [JsonPropertyName("filter_min_size"), ConfigurationKeyName("filter_min_size")] public int FilterMinSize { get; init; } = 40;
    /// <summary>
    /// Mean grey difference (0..255) between two processed frames above which the scene changed and every
    /// track ends (0: off). 40 by default, midway on a log scale: on the demo clip at 5 fps the five cuts
    /// between photos measured 63–86 and consecutive frames of one photo zooming in at most 19.5.
    /// </summary>
    [JsonPropertyName("scene_cut_threshold"), ConfigurationKeyName("scene_cut_threshold")] public double SceneCutThreshold { get; init; } = 40;
    /// <summary>
    /// The motion gate (Frigate's approach): while no track is live and less than <see cref="MotionMinShare"/>
    /// of the picture moved since the last processed frame, the face detector runs only every this many
    /// seconds of stream time (0: on every processed frame). Anyone walking in moves the picture, so a
    /// face is detected on the frame it appears in; the interval bounds the delay for one that appears
    /// without motion (a camera started on a still person, a slow change of light). 1 s by default.
    /// </summary>
    [JsonPropertyName("motion_gate_interval"), ConfigurationKeyName("motion_gate_interval")] public double MotionGateInterval { get; init; } = 1;
    /// <summary>
    /// The share (0..1) of the 64×36 sample grid whose grey changed by more than 16 levels from which a
    /// frame counts as moving. 0.002 by default: about 5 of the 2,304 samples, a face of 40 px moving
    /// on a 720p frame changes several; a still scene's noise changes none (README, "Motion gate").
    /// </summary>
    [JsonPropertyName("motion_min_share"), ConfigurationKeyName("motion_min_share")] public double MotionMinShare { get; init; } = 0.002;
    [JsonPropertyName("filter_max_size"), ConfigurationKeyName("filter_max_size")] public int FilterMaxSize { get; init; } = 8192;
    /// <summary>
    /// Lowest quality score that is posted. 0 (no gate) by default: on LFW's development photos the score
    /// did not separate recognisable faces from others at the same size (same-person TAR 82–86% in every
    /// quality band of 65 px faces, 86% in the lowest band of full-size faces against 95–98% above), so
    /// any gate dropped more recognisable faces than it saved searches (README, "Quality gates"). The best
    /// shot of a track is still its highest-quality face.
    /// </summary>
    [JsonPropertyName("filter_min_quality"), ConfigurationKeyName("filter_min_quality")] public double FilterMinQuality { get; init; }
    /// <summary>Region of interest: "" (whole frame), "WxH+X+Y" (rectangle) or "x1,y1 x2,y2 x3,y3 ..." (polygon).</summary>
    [JsonPropertyName("roi"), ConfigurationKeyName("roi")] public string Roi { get; init; } = "";
    [JsonPropertyName("jpeg_quality"), ConfigurationKeyName("jpeg_quality")] public int JpegQuality { get; init; } = 95;
    [JsonPropertyName("track_overlap_threshold"), ConfigurationKeyName("track_overlap_threshold")] public double TrackOverlapThreshold { get; init; } = 0.25;
    /// <summary>Seconds without a matching detection after which a track ends.</summary>
    [JsonPropertyName("track_miss_interval"), ConfigurationKeyName("track_miss_interval")] public double TrackMissInterval { get; init; } = 1;
    /// <summary>Frames after which a track is forcibly completed (its best shot posted, a new track begins); 0 = no limit.</summary>
    [JsonPropertyName("track_max_duration_frames"), ConfigurationKeyName("track_max_duration_frames")] public int TrackMaxDurationFrames { get; init; }
    [JsonPropertyName("realtime_post_interval"), ConfigurationKeyName("realtime_post_interval")] public double RealtimePostInterval { get; init; } = 1;
    [JsonPropertyName("realtime_post_every_interval"), ConfigurationKeyName("realtime_post_every_interval")] public bool RealtimePostEveryInterval { get; init; }
    [JsonPropertyName("realtime_post_first_immediately"), ConfigurationKeyName("realtime_post_first_immediately")] public bool RealtimePostFirstImmediately { get; init; }
    [JsonPropertyName("bs_type"), ConfigurationKeyName("bs_type")] public string BsType { get; init; } = BestShotTypes.Overall;
    [JsonPropertyName("labels"), ConfigurationKeyName("labels")] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public static CameraSettings Default { get; } = new();

    /// <summary>Every problem with these settings, as BAD_PARAM-style messages; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Check(bool ok, string name, object value, string rule)
        {
            if (!ok) problems.Add($"{name}={Convert.ToString(value, CultureInfo.InvariantCulture)}: {rule}");
        }
        Check(DetectFps >= 0 && DetectFps <= 120, "detect_fps", DetectFps, "must be 0..120 (0 = every frame)");
        Check(PlaySpeed == -1 || (PlaySpeed > 0 && PlaySpeed <= 100), "play_speed", PlaySpeed, "must be -1 (as fast as possible) or in (0, 100]");
        Check(StallTimeout >= 0.2 && StallTimeout <= 600, "stall_timeout", StallTimeout, "must be 0.2..600 seconds");
        Check(FirstFrameTimeout >= 0.2 && FirstFrameTimeout <= 600, "first_frame_timeout", FirstFrameTimeout, "must be 0.2..600 seconds");
        Check(RestartMinDelay >= 0 && RestartMinDelay <= 3600, "restart_min_delay", RestartMinDelay, "must be 0..3600 seconds");
        Check(RestartMaxDelay >= RestartMinDelay && RestartMaxDelay <= 3600, "restart_max_delay", RestartMaxDelay, "must be restart_min_delay..3600 seconds");
        Check(MaxFrameWidth == 0 || (MaxFrameWidth >= 64 && MaxFrameWidth <= 8192), "max_frame_width", MaxFrameWidth, "must be 0 or 64..8192");
        Check(FrameQueueSize is >= 1 and <= 256, "frame_queue_size", FrameQueueSize, "must be 1..256");
        Check(RtspTransport is "tcp" or "udp", "rtsp_transport", RtspTransport, "must be tcp or udp");
        Check(FilterMinSize >= 0, "filter_min_size", FilterMinSize, "must be >= 0");
        Check(FilterMaxSize >= FilterMinSize, "filter_max_size", FilterMaxSize, "must be >= filter_min_size");
        Check(FilterMinQuality is >= 0 and <= 1, "filter_min_quality", FilterMinQuality, "must be 0..1");
        Check(SceneCutThreshold is >= 0 and <= 255, "scene_cut_threshold", SceneCutThreshold, "must be 0..255 (0 = off)");
        Check(MotionGateInterval is >= 0 and <= 3600, "motion_gate_interval", MotionGateInterval, "must be 0..3600 seconds (0 = off)");
        Check(MotionMinShare is >= 0 and <= 1, "motion_min_share", MotionMinShare, "must be 0..1");
        Check(JpegQuality is >= 1 and <= 100, "jpeg_quality", JpegQuality, "must be 1..100");
        Check(TrackOverlapThreshold is > 0 and <= 1, "track_overlap_threshold", TrackOverlapThreshold, "must be in (0, 1]");
        Check(TrackMissInterval is >= 0 and <= 3600, "track_miss_interval", TrackMissInterval, "must be 0..3600 seconds");
        Check(TrackMaxDurationFrames >= 0, "track_max_duration_frames", TrackMaxDurationFrames, "must be >= 0 (0 = no limit)");
        Check(RealtimePostInterval is > 0 and <= 3600, "realtime_post_interval", RealtimePostInterval, "must be in (0, 3600] seconds");
        Check(BsType is BestShotTypes.Overall or BestShotTypes.Realtime, "bs_type", BsType, "must be overall or realtime");
        if (!string.IsNullOrWhiteSpace(Roi) && !Tracking.RegionOfInterest.TryParse(Roi, out _, out var roiError))
            problems.Add($"roi={Roi}: {roiError}");
        // Only allowed input options: the list goes onto ffmpeg's command line (see FfmpegInputOptions).
        if (FfmpegInputOptions.FirstProblem(FfmpegParams ?? []) is { } ffmpeg)
            problems.Add($"ffmpeg_params={ffmpeg.Where}: {ffmpeg.Why}");
        return problems;
    }

    /// <summary>Throws BAD_PARAM naming the first offending setting.</summary>
    public CameraSettings Validated()
    {
        var problems = Problems();
        if (problems.Count == 0) return this;
        var first = problems[0];
        var name = first[..first.IndexOf('=')];
        throw RouterException.BadParam(name, first[(name.Length + 1)..first.IndexOf(':')], string.Join("; ", problems));
    }
}
