namespace Router.Abstractions;

/// <summary>
/// A face router plugin (facerouter's preprocess / process / shutdown). The host creates one
/// instance per plugin; its constructor may take an <see cref="IPluginContext"/>, an ILogger,
/// or nothing. Calls for different faces may overlap: keep shared state thread-safe.
/// </summary>
public interface IFaceRouterPlugin
{
    /// <summary>
    /// Says which features the plugin needs for this face. <see cref="FaceFeatures.None"/>: not
    /// interested, ProcessAsync is not called for it. The router computes the union of all
    /// plugins' requests once.
    /// </summary>
    ValueTask<FaceFeatures> PreprocessAsync(FaceRequest request, IReadOnlyDictionary<string, string> labels, CancellationToken ct);

    /// <summary>
    /// Handles the face with the features asked for. <paramref name="detection"/>.Id is the
    /// detection-cache id (usable in Detection filters and as an add source) when Facen was asked for.
    /// </summary>
    ValueTask ProcessAsync(FaceRequest request, ReadOnlyMemory<byte> photo, BBox bbox, ulong eventId,
        DetectFace detection, CancellationToken ct);

    /// <summary>Called once before the host stops or the plugin is unloaded: flush and release.</summary>
    ValueTask ShutdownAsync(CancellationToken ct);
}
