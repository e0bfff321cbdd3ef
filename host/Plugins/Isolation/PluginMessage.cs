using Router.Abstractions;

namespace Router.Host.Plugins.Isolation;

/// <summary>
/// One message between the host and an isolated plugin's process. Host to plugin: <c>start</c>
/// (once, first), <c>preprocess</c>, <c>process</c>, <c>cancel</c>, <c>shutdown</c>. Plugin to host:
/// <c>ready</c> or <c>failed</c> (the answer to start), <c>done</c> or <c>error</c> (the answer to a
/// call, same <see cref="Id"/>), and <c>annotate</c> (IPluginContext.Annotate, unsolicited).
/// </summary>
internal sealed record PluginMessage
{
    /// <summary>The error of a <c>process</c> whose <see cref="RequestOf"/> the child no longer holds: the host sends the request itself.</summary>
    public const string UnknownRequest = "UNKNOWN_REQUEST";

    public required string Op { get; init; }
    public long Id { get; init; }
    public PluginStart? Start { get; init; }
    public FaceRequest? Request { get; init; }
    /// <summary>In a <c>process</c> without <see cref="Request"/>: the <c>preprocess</c> call that sent it (the photo crosses the pipe once per face).</summary>
    public long RequestOf { get; init; }
    public ulong EventId { get; init; }
    public DetectFace? Detection { get; init; }
    public FaceFeatures Features { get; init; }
    public WireError? Error { get; init; }
    public Dictionary<string, string>? Annotation { get; init; }
    public string? Version { get; init; }
    public string? TypeName { get; init; }
}

/// <summary>What the plugin's process needs to load the plugin as the host would.</summary>
/// <param name="GalleryUrl">The host's API, for the plugin's gallery client (null: galleries unavailable).</param>
internal sealed record PluginStart(
    string Name, string AssemblyPath, string? Type, Dictionary<string, string?> Settings, string DataDirectory,
    string? GalleryUrl, string? ApiKey);
