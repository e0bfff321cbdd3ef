using Router.Models.Faces;

namespace Router.Bench.Tests;

/// <summary>One analyzer (real models) shared by the tests of a class: loading the models costs more than most tests.</summary>
public sealed class AnalyzerFixture : IDisposable
{
    public FaceAnalyzer Analyzer { get; } = new();

    public void Dispose() => Analyzer.Dispose();
}
