using Microsoft.Extensions.Logging;
using Router.Abstractions;

namespace MyRouterPlugin;

/// <summary>
/// A Router plugin. The host constructs it with what its constructor asks for: IPluginContext (its
/// settings, the gallery client, an id generator, a data folder), ILogger&lt;T&gt; and IConfiguration
/// of its section. PreprocessAsync says which features a face needs (None: not interested);
/// ProcessAsync gets the face with exactly those; both have a timeout (Plugins:Items:NAME) and
/// must honour their CancellationToken. ShutdownAsync runs before the plugin is unloaded.
/// </summary>
public sealed class MyRouterPlugin(IPluginContext context, ILogger<MyRouterPlugin> logger) : IFaceRouterPlugin
{
    private readonly string _gallery = context.Settings.GetString("gallery", "PLUGIN_GALLERY")!;
    private readonly double _threshold = context.Settings.GetDouble("threshold", MatchThresholds.Identification);

    public ValueTask<FaceFeatures> PreprocessAsync(FaceRequest request, IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        ValueTask.FromResult(FaceFeatures.Facen);

    public async ValueTask ProcessAsync(FaceRequest request, ReadOnlyMemory<byte> photo, BBox bbox, ulong eventId, DetectFace detection, CancellationToken ct)
    {
        Face? who = null;
        try { who = await context.Galleries.Gallery(_gallery).IdentifyAsync(detection, _threshold, ct); }
        catch (RouterException e) when (e.Code == ErrorCodes.GalleryNotFound) { }
        var name = who?.DisplayName() ?? "a stranger";
        context.Annotate(eventId, new Dictionary<string, string> { ["who"] = name });
        logger.LogInformation("{Camera}: {Who}", request.CamId, name);
    }

    public ValueTask ShutdownAsync(CancellationToken ct) => ValueTask.CompletedTask;
}
