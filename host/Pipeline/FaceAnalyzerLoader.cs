using Router.Abstractions;
using Router.Models.Faces;

namespace Router.Host.Pipeline;

/// <summary>
/// Creates the models' <c>Router.Models.Faces.FaceAnalyzer</c> for the CLI commands that run
/// the pipeline outside a DI host (replay, bench). Looked up by name because the analyzer
/// lands in the models project separately; NOT_IMPLEMENTED when this build lacks it.
/// </summary>
public static class FaceAnalyzerLoader
{
    public const string TypeName = "Router.Models.Faces.FaceAnalyzer, Router.Models";

    public static bool IsAvailable => Type.GetType(TypeName) != null;

    public static IFaceAnalyzer Create()
    {
        var type = Type.GetType(TypeName)
            ?? throw new RouterException(ErrorCodes.NotImplemented, "this build has no face models (Router.Models.Faces.FaceAnalyzer is missing)");
        var ctor = type.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
        var args = ctor.GetParameters().Select(p => p.HasDefaultValue ? p.DefaultValue : null).ToArray();
        return (IFaceAnalyzer)ctor.Invoke(args);
    }
}
