using Router.Abstractions;
using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Models.Inference;
using Router.Models.Onnx;
using Router.Tests.Common;
using Xunit;

namespace Router.Models.Tests.Inference;

/// <summary>
/// Models:Batching through the analyzer: with it on, detection and embeddings of real faces from
/// several threads at once are what they are with it off; unset, it is off on CPU (where it does
/// not pay: README, "Inference batching") and on for a session that really runs on CUDA.
/// </summary>
public sealed class AnalyzerBatchingTests
{
    [Fact]
    public void Detection_and_embeddings_with_batching_match_those_without()
    {
        using var plain = new FaceAnalyzer();
        using var batched = new FaceAnalyzer(new FaceModelsOptions { Batching = new BatchingOptions { Enabled = true, MaxBatch = 4, MaxWaitMs = 2 } });
        Assert.IsType<InferenceQueue>(batched.Detector.Runner);
        Assert.IsType<InferenceQueue>(batched.Embedder.Runner);
        var photos = new[] { "sample1.jpg", "sample2.jpg", "sample3.jpg" };
        var images = photos.Select(p => ImageDecoder.Decode(SamplePhotos.Read(p))).ToArray();
        try
        {
            var expected = images.Select(d => plain.Detect(d.Image).Select(f => plain.Analyze(d.Image, f, FaceFeatures.Facen)).ToArray()).ToArray();
            var actual = new FaceAnalysis[images.Length][];
            Parallel.For(0, images.Length, i =>
                actual[i] = batched.Detect(images[i].Image).AsParallel().AsOrdered().Select(f => batched.Analyze(images[i].Image, f, FaceFeatures.Facen)).ToArray());
            for (var i = 0; i < images.Length; i++)
            {
                Assert.Equal(expected[i].Length, actual[i].Length);
                Assert.True(expected[i].Length > 0);
                for (var k = 0; k < expected[i].Length; k++)
                {
                    Assert.Equal(expected[i][k].Detection.Box, actual[i][k].Detection.Box);
                    Assert.Equal(expected[i][k].Detection.Score, actual[i][k].Detection.Score, 4);
                    BatchedSessionsFixture.AssertClose(expected[i][k].Embedding!, actual[i][k].Embedding!);
                }
            }
            var embedder = (InferenceQueue)batched.Embedder.Runner;
            Assert.Equal(expected.Sum(e => e.Length), embedder.Completed);
        }
        finally
        {
            foreach (var d in images) d.Dispose();
        }
    }

    [Fact]
    public void Unset_it_is_off_on_cpu_and_on_where_the_session_runs_on_cuda()
    {
        using var analyzer = new FaceAnalyzer();
        Assert.Same(analyzer.Eyes.Session, analyzer.Eyes.Runner);
        Assert.False(analyzer.Eyes.Session.FreeBatchAxis);
        var unset = new BatchingOptions();
        Assert.False(unset.EnabledFor(ExecutionProvider.Cpu));
        Assert.True(unset.EnabledFor(ExecutionProvider.Cuda));
        Assert.False(new BatchingOptions { Enabled = false }.EnabledFor(ExecutionProvider.Cuda));
        // cuda asked for where it cannot load: the CPU fallback runs without a queue.
        using var fallback = new FaceAnalyzer(new FaceModelsOptions { ExecutionProvider = "cuda" });
        if (fallback.Eyes.Session.Provider == ExecutionProvider.Cpu) Assert.Same(fallback.Eyes.Session, fallback.Eyes.Runner);
        else Assert.IsType<InferenceQueue>(fallback.Eyes.Runner);
    }

    [Fact]
    public void A_bad_batching_setting_stops_the_analyzer_at_start()
    {
        var e = Assert.Throws<RouterException>(() => new FaceAnalyzer(new FaceModelsOptions { Batching = new BatchingOptions { MaxBatch = 100 } }));
        Assert.Equal(ErrorCodes.BadParam, e.Code);
        Assert.Contains("Models:Batching:MaxBatch", e.Reason);
    }
}
