using Router.Abstractions;
using Router.Models.Faces;
using Router.Models.Inference;
using Router.Models.Onnx;
using Xunit;

namespace Router.Models.Tests.Inference;

/// <summary>
/// The per-model batching queue on the real models: each caller gets exactly its own result (as a
/// direct call gives it) while calls from many threads share batches; the queue never holds more
/// than its capacity and fails a caller with OVER_CAPACITY rather than growing; cancelling a
/// queued call takes it out; a warm call allocates nothing, on the caller's thread or the dispatcher's.
/// </summary>
public sealed class InferenceQueueTests(BatchedSessionsFixture sessions) : IClassFixture<BatchedSessionsFixture>
{
    [Theory]
    [InlineData(ModelFiles.Embedding)]
    [InlineData(ModelFiles.Detector)]
    [InlineData(ModelFiles.Landmarks)]
    public void Callers_on_many_threads_share_batches_and_each_gets_its_own_result(string file)
    {
        var plain = sessions.Plain(file);
        var inputs = Enumerable.Range(0, 6).Select(i => BatchedSessionsFixture.Input(plain, 100 + i)).ToArray();
        var expected = inputs.Select(i => BatchedSessionsFixture.Direct(plain, i)).ToArray();
        using var queue = new InferenceQueue(sessions.Batched(file), new BatchingOptions { MaxBatch = 4, MaxWaitMs = 5, QueueCapacity = 8 });
        const int threads = 6, callsEach = 4;
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var output = new float[plain.OutputLength];
            start.SignalAndWait();
            for (var c = 0; c < callsEach; c++)
            {
                var k = (t + c) % inputs.Length;
                queue.Run(inputs[k], output, CancellationToken.None);
                BatchedSessionsFixture.AssertClose(expected[k], output);
            }
        })).ToList();
        foreach (var w in workers) w.UnsafeStart();
        foreach (var w in workers) w.Join();
        Assert.Equal(threads * callsEach, queue.Completed);
        // 6 callers released together with a 5 ms wait: some calls must have shared a model run.
        Assert.True(queue.Batches < queue.Completed, $"{queue.Completed} requests in {queue.Batches} batches: nothing was batched");
        Assert.True(queue.PeakInFlight <= queue.Capacity);
    }

    [Fact]
    public void Callers_beyond_the_capacity_wait_and_the_queue_never_holds_more()
    {
        var session = sessions.Batched(ModelFiles.Landmarks);
        var input = BatchedSessionsFixture.Input(session, 7);
        var expected = BatchedSessionsFixture.Direct(sessions.Plain(ModelFiles.Landmarks), input);
        using var queue = new InferenceQueue(session, new BatchingOptions { MaxBatch = 2, MaxWaitMs = 1, QueueCapacity = 3, QueueWaitMs = 30_000 });
        Parallel.For(0, 96, new ParallelOptions { MaxDegreeOfParallelism = 12 }, _ =>
        {
            var output = new float[session.OutputLength];
            queue.Run(input, output, CancellationToken.None);
            BatchedSessionsFixture.AssertClose(expected, output);
        });
        Assert.Equal(96, queue.Completed);
        Assert.InRange(queue.PeakInFlight, 1, 3);
    }

    [Fact]
    public void A_full_queue_fails_a_caller_that_cannot_wait_with_over_capacity()
    {
        // fr_expression takes tens of ms a call: one running, nobody else fits.
        var session = sessions.Batched(ModelFiles.Expression);
        var input = BatchedSessionsFixture.Input(session, 3);
        using var queue = new InferenceQueue(session, new BatchingOptions { MaxBatch = 1, MaxWaitMs = 0, QueueCapacity = 1, QueueWaitMs = 0 });
        const int threads = 4;
        using var start = new Barrier(threads);
        var overCapacity = 0;
        var succeeded = 0;
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var output = new float[session.OutputLength];
            start.SignalAndWait();
            for (var c = 0; c < 3; c++)
            {
                try
                {
                    queue.Run(input, output, CancellationToken.None);
                    Interlocked.Increment(ref succeeded);
                }
                catch (RouterException e) when (e.Code == ErrorCodes.OverCapacity) { Interlocked.Increment(ref overCapacity); }
            }
        })).ToList();
        foreach (var w in workers) w.UnsafeStart();
        foreach (var w in workers) w.Join();
        Assert.True(succeeded > 0, "no call got through");
        Assert.True(overCapacity > 0, $"{succeeded} calls succeeded and none was refused although the queue holds one");
        Assert.Equal(1, queue.PeakInFlight);
    }

    [Fact]
    public void Cancelling_a_queued_call_takes_it_out_and_frees_its_slot()
    {
        var session = sessions.Batched(ModelFiles.Eyes);
        var input = BatchedSessionsFixture.Input(session, 5);
        // A long wait for a batch that never fills: the request sits queued until cancelled.
        using var queue = new InferenceQueue(session, new BatchingOptions { MaxBatch = 8, MaxWaitMs = 50, QueueCapacity = 8 });
        var output = new float[session.OutputLength];
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(5));
        Assert.ThrowsAny<OperationCanceledException>(() => queue.Run(input, output, cts.Token));
        Assert.Equal(0, queue.Queued);
        // Already cancelled: refused before it queues.
        Assert.ThrowsAny<OperationCanceledException>(() => queue.Run(input, output, new CancellationToken(true)));
        // Every slot is free again: a full batch's worth of callers still gets through.
        Parallel.For(0, 8, _ =>
        {
            var o = new float[session.OutputLength];
            queue.Run(input, o, CancellationToken.None);
            BatchedSessionsFixture.AssertClose(BatchedSessionsFixture.Direct(sessions.Plain(ModelFiles.Eyes), input), o);
        });
        Assert.Equal(8, queue.Completed);
    }

    [Fact]
    public void A_warm_call_allocates_nothing_on_the_callers_thread_or_the_dispatchers()
    {
        var session = sessions.Batched(ModelFiles.Landmarks);
        var input = BatchedSessionsFixture.Input(session, 9);
        var output = new float[session.OutputLength];
        using var queue = new InferenceQueue(session, new BatchingOptions { MaxBatch = 4, MaxWaitMs = 0, QueueCapacity = 4 });
        using var cts = new CancellationTokenSource(); // a cancellable token, as a request would pass
        for (var i = 0; i < 5; i++) queue.Run(input, output, cts.Token);
        var dispatcherBefore = queue.DispatcherAllocatedBytes;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++) queue.Run(input, output, cts.Token);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, queue.DispatcherAllocatedBytes - dispatcherBefore);
    }

    [Fact]
    public void Disposing_answers_the_queued_calls_and_refuses_later_ones()
    {
        var session = sessions.Batched(ModelFiles.Landmarks);
        var input = BatchedSessionsFixture.Input(session, 11);
        var queue = new InferenceQueue(session, new BatchingOptions { MaxBatch = 8, MaxWaitMs = 40, QueueCapacity = 8 });
        var output = new float[session.OutputLength];
        var pending = Task.Run(() => queue.Run(input, output, CancellationToken.None));
        SpinWait.SpinUntil(() => queue.Queued == 1, 5000);
        queue.Dispose();
        pending.Wait(TimeSpan.FromSeconds(10));
        Assert.True(pending.IsCompletedSuccessfully);
        BatchedSessionsFixture.AssertClose(BatchedSessionsFixture.Direct(sessions.Plain(ModelFiles.Landmarks), input), output);
        Assert.Throws<ObjectDisposedException>(() => queue.Run(input, output, CancellationToken.None));
    }

    [Fact]
    public void Settings_out_of_range_are_refused_all_at_once()
    {
        var problems = new BatchingOptions { MaxBatch = 0, MaxWaitMs = -1, QueueCapacity = 2000, QueueWaitMs = -5 }.Problems();
        Assert.Equal(4, problems.Count);
        var e = Assert.Throws<RouterException>(() => new InferenceQueue(sessions.Batched(ModelFiles.Eyes), new BatchingOptions { MaxBatch = 16, QueueCapacity = 8 }));
        Assert.Equal(ErrorCodes.BadParam, e.Code);
    }
}
