using Router.Models.Faces;
using Router.Models.Onnx;
using Router.Models.Tests.Faces;
using Xunit;
using Xunit.Abstractions;

namespace Router.Models.Tests.Onnx;

/// <summary>
/// The sessions over the Microsoft.ML.OnnxRuntime package: IOBinding over pooled pinned buffers
/// (a warm call allocates nothing), correct under concurrent callers, and an honest CPU fallback
/// when CUDA is asked for where it cannot load.
/// </summary>
public sealed class OrtSessionTests(AnalyzerFixture fixture, ITestOutputHelper output) : IClassFixture<AnalyzerFixture>
{
    private static float[] Input(OrtSession session, int seed)
    {
        var input = new float[session.InputLength];
        for (var i = 0; i < input.Length; i++) input[i] = ((i + seed) % 255) / 255f;
        return input;
    }

    [Fact]
    public void A_warm_run_allocates_nothing()
    {
        var session = fixture.Analyzer.Landmarks.Session;
        var input = Input(session, 0);
        var output = new float[session.OutputLength];
        for (var i = 0; i < 3; i++) session.Run(input, output);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++) session.Run(input, output);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Concurrent_callers_each_get_their_own_outputs()
    {
        var session = fixture.Analyzer.Landmarks.Session;
        var inputs = Enumerable.Range(0, 4).Select(s => Input(session, s * 37)).ToArray();
        var expected = inputs.Select(input =>
        {
            var o = new float[session.OutputLength];
            session.Run(input, o);
            return o;
        }).ToArray();
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var o = new float[session.OutputLength];
            session.Run(inputs[i % 4], o);
            Assert.Equal(expected[i % 4], o);
        });
    }

    [Fact]
    public void Cuda_where_it_cannot_load_falls_back_to_cpu_with_one_line_naming_what_is_missing()
    {
        var lines = new List<string>();
        using var analyzer = new FaceAnalyzer(new FaceModelsOptions { ExecutionProvider = "cuda" });
        // The test machines have no GPU; with the GPU package and a working CUDA 13 this test does not apply.
        using var session = analyzer.Open(ModelFiles.Landmarks);
        if (session.Provider == ExecutionProvider.Cuda) return;
        using var direct = new OrtSession(session.ModelPath, new OrtSessionSettings { Provider = ExecutionProvider.Cuda, OnProviderFallback = lines.Add });
        Assert.Equal(ExecutionProvider.Cpu, direct.Provider);
        var line = Assert.Single(lines);
        output.WriteLine(line);
        Assert.StartsWith("CUDA execution provider unavailable, running on CPU: ", line);
        Assert.Contains(OrtRuntime.HasCudaProvider ? "libcudart.so.13" : "CPU-only Microsoft.ML.OnnxRuntime package", line);
        var result = new float[direct.OutputLength];
        direct.Run(Input(direct, 0), result);
        var reference = new float[direct.OutputLength];
        fixture.Analyzer.Landmarks.Session.Run(Input(direct, 0), reference);
        Assert.Equal(reference, result);
    }
}
