namespace Router.Host.Demo;

/// <summary>
/// The "Demo" section: what `router run` does on embedded defaults. When enabled, a camera
/// <c>demo</c> replays the demo clip in a loop at real speed, and the watchlist gallery is
/// created and seeded once from the faces of one sample photo.
/// </summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Enabled { get; set; } = true;

    /// <summary>Where the demo clip is made (on first start) and read; default {DataDir}/demo/demo.mp4.</summary>
    public string Video { get; set; } = "";

    /// <summary>Seconds each sample photo stays on screen in the clip.</summary>
    public double SecondsPerPhoto { get; set; } = 3;

    /// <summary>The gallery the Watchlist plugin watches; created and seeded when it does not exist.</summary>
    public string Gallery { get; set; } = "watchlist";

    /// <summary>The sample photo (in the assets' photos folder) whose faces are enrolled.</summary>
    public string SeedPhoto { get; set; } = "sample6.jpg";
}
