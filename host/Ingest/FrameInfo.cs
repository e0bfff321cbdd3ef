namespace Router.Host.Ingest;

/// <summary>What ffmpeg's showinfo said about the next frame on the pipe: its size and presentation time (NaN when unknown).</summary>
public readonly record struct FrameInfo(int Width, int Height, double PtsTime);
