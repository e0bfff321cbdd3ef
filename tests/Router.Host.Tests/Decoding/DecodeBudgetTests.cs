using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Decoding;
using Xunit;

namespace Router.Host.Tests.Decoding;

/// <summary>Issue 12, item 2: decodes share a bounded room (count and memory); past the queue's bounds, OVER_CAPACITY.</summary>
public sealed class DecodeBudgetTests
{
    private static DecodeBudget Budget(int concurrent, long totalBytes, int queued = 16, double timeoutSeconds = 5) =>
        new(Options.Create(new DecodingOptions
        {
            MaxConcurrentDecodes = concurrent, MaxDecodeBytes = Math.Min(totalBytes, 1 << 20), MaxTotalDecodeBytes = totalBytes,
            MaxQueuedDecodes = queued, QueueTimeout = TimeSpan.FromSeconds(timeoutSeconds),
        }));

    [Fact]
    public async Task The_number_of_decodes_at_once_is_bounded()
    {
        var budget = Budget(concurrent: 2, totalBytes: 1 << 30);
        var a = await budget.EnterAsync(10, default);
        var b = await budget.EnterAsync(10, default);
        var c = budget.EnterAsync(10, default).AsTask();
        await Task.Delay(100);
        Assert.False(c.IsCompleted);
        Assert.Equal((2, 1), (budget.Running, budget.Queued));
        a.Dispose();
        using (await c) Assert.Equal((2, 0), (budget.Running, budget.Queued));
        b.Dispose();
        Assert.Equal((0, 0L), (budget.Running, budget.Bytes));
    }

    [Fact]
    public async Task Decode_memory_is_bounded_and_granted_first_come_first_served()
    {
        var budget = Budget(concurrent: 8, totalBytes: 100);
        var big = await budget.EnterAsync(60, default);
        var second = budget.EnterAsync(50, default).AsTask();
        // 10 would fit, but it came after 50: it waits, so that big pictures are not starved.
        var third = budget.EnterAsync(10, default).AsTask();
        await Task.Delay(100);
        Assert.False(second.IsCompleted || third.IsCompleted);
        big.Dispose();
        using (await second)
        using (await third)
            Assert.Equal(60L, budget.Bytes);
        Assert.Equal(0L, budget.Bytes);
    }

    [Fact]
    public async Task Past_the_wait_or_the_queue_the_answer_is_over_capacity_and_nothing_is_held()
    {
        var budget = Budget(concurrent: 1, totalBytes: 1 << 30, queued: 1, timeoutSeconds: 0.2);
        using var running = await budget.EnterAsync(10, default);
        var waiting = budget.EnterAsync(10, default).AsTask();
        var full = await Assert.ThrowsAsync<RouterException>(() => budget.EnterAsync(10, default).AsTask());
        Assert.Equal(ErrorCodes.OverCapacity, full.Code);
        var timedOut = await Assert.ThrowsAsync<RouterException>(() => waiting);
        Assert.Equal(ErrorCodes.OverCapacity, timedOut.Code);
        Assert.Equal((1, 10L, 0), (budget.Running, budget.Bytes, budget.Queued));
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_queue()
    {
        var budget = Budget(concurrent: 1, totalBytes: 1 << 30);
        var running = await budget.EnterAsync(10, default);
        using var cts = new CancellationTokenSource(100);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => budget.EnterAsync(10, cts.Token).AsTask());
        Assert.Equal(0, budget.Queued);
        running.Dispose();
        running.Dispose(); // once only
        Assert.Equal((0, 0L), (budget.Running, budget.Bytes));
    }
}
