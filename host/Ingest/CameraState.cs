namespace Router.Host.Ingest;

/// <summary>Where a camera's stream is, as shown on its status.</summary>
public enum CameraState
{
    /// <summary>Not started yet.</summary>
    Idle,
    /// <summary>ffmpeg started, waiting for the first frame.</summary>
    Starting,
    /// <summary>Frames arriving.</summary>
    Streaming,
    /// <summary>The stream failed or stalled; waiting out the back-off before the next start.</summary>
    Restarting,
    /// <summary>A single-pass stream reached its end.</summary>
    Finished,
    /// <summary>Stopped by the host.</summary>
    Stopped,
}
