using System.Text.Json.Serialization;

namespace Router.Host.Ingest;

/// <summary>A camera's counters at one moment, with FindFace's health statistic names.</summary>
public sealed record CameraStatisticsSnapshot
{
    [JsonPropertyName("state")] public CameraState State { get; init; }
    /// <summary>How many times ffmpeg was started (1 + restarts).</summary>
    [JsonPropertyName("job_starts")] public long JobStarts { get; init; }
    [JsonPropertyName("frame_width")] public int FrameWidth { get; init; }
    [JsonPropertyName("frame_height")] public int FrameHeight { get; init; }
    /// <summary>Frames read from ffmpeg (after decimation to detect_fps).</summary>
    [JsonPropertyName("frames_decoded")] public long FramesDecoded { get; init; }
    [JsonPropertyName("frames_processed")] public long FramesProcessed { get; init; }
    /// <summary>Frames thrown away because the detector fell behind.</summary>
    [JsonPropertyName("frames_dropped")] public long FramesDropped { get; init; }
    [JsonPropertyName("faces_posted")] public long FacesPosted { get; init; }
    [JsonPropertyName("faces_failed")] public long FacesFailed { get; init; }
    /// <summary>Tracks that ended without a face that passed the filters (size, quality, roi).</summary>
    [JsonPropertyName("faces_not_posted")] public long FacesNotPosted { get; init; }
    /// <summary><see cref="FacesNotPosted"/> by the reason of the track's last filtered face.</summary>
    [JsonPropertyName("faces_not_posted_by_reason")] public FacesNotPostedByReason FacesNotPostedByReason { get; init; } = new(0, 0, 0, 0, 0);
    [JsonPropertyName("processing_fps")] public double ProcessingFps { get; init; }
    /// <summary>Stream seconds processed.</summary>
    [JsonPropertyName("processed_duration")] public double ProcessedDuration { get; init; }
    /// <summary>Decoder complaints (corrupt packets, concealed errors) that did not stop the stream.</summary>
    [JsonPropertyName("decoding_soft_errors")] public long DecodingSoftErrors { get; init; }
    /// <summary>Scene changes that ended every track (scene_cut_threshold).</summary>
    [JsonPropertyName("scene_cuts")] public long SceneCuts { get; init; }
    /// <summary>Processed frames on which the motion gate did not run the detector (no live track, no motion).</summary>
    [JsonPropertyName("detections_skipped")] public long DetectionsSkipped { get; init; }
    [JsonPropertyName("last_error")] public string? LastError { get; init; }
    [JsonPropertyName("uptime_seconds")] public double UptimeSeconds { get; init; }
}

/// <summary>Tracks not posted, by why their last face was filtered out; <c>other</c>: the track ended before any face was offered (for example, too short).</summary>
public sealed record FacesNotPostedByReason(
    [property: JsonPropertyName("too_small")] long TooSmall,
    [property: JsonPropertyName("too_large")] long TooLarge,
    [property: JsonPropertyName("outside_roi")] long OutsideRoi,
    [property: JsonPropertyName("low_quality")] long LowQuality,
    [property: JsonPropertyName("other")] long Other);
