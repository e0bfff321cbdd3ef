using Router.Host.Pipeline;
using Xunit;

namespace Router.Host.Tests.Replay;

/// <summary>
/// A test that needs the real face models. Skipped, saying why, only while this build has no
/// <c>Router.Models.Faces.FaceAnalyzer</c>; with it, the test runs the real detector.
/// </summary>
public sealed class ModelsFactAttribute : FactAttribute
{
    public ModelsFactAttribute()
    {
        if (!FaceAnalyzerLoader.IsAvailable) Skip = "Router.Models.Faces.FaceAnalyzer is not in this build yet";
    }
}
