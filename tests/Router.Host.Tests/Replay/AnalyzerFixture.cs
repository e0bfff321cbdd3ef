using Router.Host.Pipeline;
using Router.Models.Faces;

namespace Router.Host.Tests.Replay;

/// <summary>One real face analyzer (ONNX models) shared by the replay tests of a class.</summary>
public sealed class AnalyzerFixture : IDisposable
{
    private readonly Lazy<IFaceAnalyzer> _analyzer = new(FaceAnalyzerLoader.Create);

    public IFaceAnalyzer Analyzer => _analyzer.Value;

    public void Dispose()
    {
        if (_analyzer.IsValueCreated) (_analyzer.Value as IDisposable)?.Dispose();
    }
}
