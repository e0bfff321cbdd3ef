using Router.Models.Imaging;

namespace Router.Host.Decoding;

/// <summary>
/// Configuration of image decoding for uploads and plugins' detect calls (section "Decoding"):
/// the limits of one decode and the budget that all decodes share. The defaults and how they
/// were measured are in the README ("Decoding under a budget").
/// </summary>
public sealed class DecodingOptions
{
    public const string Section = "Decoding";

    /// <summary>Largest picture accepted, in pixels.</summary>
    public long MaxPixels { get; set; } = BgrImage.MaxPixels;

    /// <summary>Largest peak memory one decode may need (from its header), in bytes.</summary>
    public long MaxDecodeBytes { get; set; } = DecodeLimits.DefaultMaxDecodeBytes;

    /// <summary>Decodes (with the face analysis that holds the picture) running at once; 0 = one a core.</summary>
    public int MaxConcurrentDecodes { get; set; }

    /// <summary>Decode memory held by all running decodes together, in bytes.</summary>
    public long MaxTotalDecodeBytes { get; set; } = 2L << 30;

    /// <summary>Requests waiting for room; beyond that, OVER_CAPACITY at once.</summary>
    public int MaxQueuedDecodes { get; set; } = 16;

    /// <summary>How long a request waits for room before it gets OVER_CAPACITY.</summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public int ConcurrentDecodes => MaxConcurrentDecodes > 0 ? MaxConcurrentDecodes : Environment.ProcessorCount;

    public DecodeLimits Limits => new(MaxPixels, MaxDecodeBytes);

    public IEnumerable<string> Validate()
    {
        if (MaxPixels is < 1 or > BgrImage.MaxPixels) yield return $"Decoding:MaxPixels must be 1..{BgrImage.MaxPixels}";
        if (MaxDecodeBytes < 1 << 20) yield return "Decoding:MaxDecodeBytes must be at least 1 MiB";
        if (MaxTotalDecodeBytes < MaxDecodeBytes) yield return "Decoding:MaxTotalDecodeBytes must be at least Decoding:MaxDecodeBytes (or the largest image could never decode)";
        if (MaxConcurrentDecodes < 0) yield return "Decoding:MaxConcurrentDecodes must be 0 (one a core) or more";
        if (MaxQueuedDecodes < 0) yield return "Decoding:MaxQueuedDecodes must be 0 or more";
        if (QueueTimeout < TimeSpan.Zero) yield return "Decoding:QueueTimeout must not be negative";
    }
}
