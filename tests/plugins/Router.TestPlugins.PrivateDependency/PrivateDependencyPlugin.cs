using System.Numerics.Tensors;
using System.Runtime.Loader;
using System.Text;
using Router.Abstractions;

namespace Router.TestPlugins.PrivateDependency;

/// <summary>
/// Records, at construction, which System.Numerics.Tensors it was given (assembly version and
/// load context) and that the library works, in dependency.txt of its data folder:
/// "VERSION CONTEXT SUM". It is interested in no face.
/// </summary>
public sealed class PrivateDependencyPlugin : IFaceRouterPlugin
{
    public PrivateDependencyPlugin(IPluginContext context)
    {
        var assembly = typeof(TensorPrimitives).Assembly;
        var loadContext = AssemblyLoadContext.GetLoadContext(assembly);
        var own = loadContext == AssemblyLoadContext.GetLoadContext(typeof(PrivateDependencyPlugin).Assembly) ? "plugin" : "host";
        var sum = TensorPrimitives.Sum<float>([1f, 2f, 3f]);
        File.WriteAllText(Path.Combine(context.DataDirectory, "dependency.txt"), $"{assembly.GetName().Version} {own} {sum}", Encoding.UTF8);
    }

    public ValueTask<FaceFeatures> PreprocessAsync(FaceRequest request, IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        ValueTask.FromResult(FaceFeatures.None);

    public ValueTask ProcessAsync(FaceRequest request, ReadOnlyMemory<byte> photo, BBox bbox, ulong eventId, DetectFace detection, CancellationToken ct) =>
        ValueTask.CompletedTask;

    public ValueTask ShutdownAsync(CancellationToken ct) => ValueTask.CompletedTask;
}
