using Router.Models.Faces;
using Router.Models.Onnx;
using Xunit;

namespace Router.Models.Tests.Inference;

/// <summary>
/// Every fr_*.onnx is exported with a batch of 1; with the axis freed, a batch of n gives, for
/// each of its inputs, what the model as exported gives for that input alone, and a run of any
/// batch size through the preallocated binding allocates nothing.
/// </summary>
public sealed class OnnxBatchAxisTests(BatchedSessionsFixture sessions) : IClassFixture<BatchedSessionsFixture>
{
    public static TheoryData<string> Models() => [.. ModelFiles.All];

    [Theory]
    [MemberData(nameof(Models))]
    public void A_batch_gives_each_input_what_the_model_as_exported_gives_it_alone(string file)
    {
        var plain = sessions.Plain(file);
        var batched = sessions.Batched(file);
        Assert.Equal(plain.InputLength, batched.InputLength);
        Assert.Equal(plain.OutputLength, batched.OutputLength);
        const int n = 3;
        using var binding = batched.CreateBatchBinding(4);
        var inputs = Enumerable.Range(0, n).Select(i => BatchedSessionsFixture.Input(plain, i + 1)).ToArray();
        for (var i = 0; i < n; i++) inputs[i].CopyTo(binding.Input(i));
        binding.Run(n);
        for (var i = 0; i < n; i++)
        {
            var result = new float[batched.OutputLength];
            binding.CopyResult(i, result);
            BatchedSessionsFixture.AssertClose(BatchedSessionsFixture.Direct(plain, inputs[i]), result);
        }
        // And a batch-1 call of the freed model is the exported model's call.
        BatchedSessionsFixture.AssertClose(BatchedSessionsFixture.Direct(plain, inputs[0]), BatchedSessionsFixture.Direct(batched, inputs[0]));
    }

    [Fact]
    public void A_warm_batch_run_allocates_nothing()
    {
        var batched = sessions.Batched(ModelFiles.Landmarks);
        using var binding = batched.CreateBatchBinding(4);
        var result = new float[batched.OutputLength];
        for (var n = 1; n <= 4; n++) { binding.Run(n); binding.CopyResult(n - 1, result); }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++) { binding.Run(i % 4 + 1); binding.CopyResult(i % 4, result); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_session_with_a_fixed_batch_refuses_a_batch_binding()
    {
        Assert.Throws<InvalidOperationException>(() => sessions.Plain(ModelFiles.Eyes).CreateBatchBinding(2));
    }

    [Fact]
    public void Bytes_that_are_not_a_model_are_refused_with_a_clear_error()
    {
        Assert.Throws<OrtException>(() => OnnxBatchAxis.MakeDynamic([0x0a, 0xff, 0xff]));
        Assert.Throws<OrtException>(() => OnnxBatchAxis.MakeDynamic([0x08, 0x07])); // a model without a graph
    }
}
