using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Router.Host.Tests.Logging;

/// <summary>
/// Keeps what a host logs, so that a test can assert on the server side too ("no exception was
/// logged"). Outlives the hosts it is added to: disposing it (as a logger factory may) keeps the entries.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    public IReadOnlyList<CapturedLogEntry> Entries => _entries.ToArray();

    /// <summary>Entries at <paramref name="level"/> or above, or with an exception attached.</summary>
    public IReadOnlyList<CapturedLogEntry> AtLeast(LogLevel level) =>
        _entries.Where(e => e.Level >= level || e.Exception is not null).ToArray();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, this);

    internal void Add(CapturedLogEntry entry) => _entries.Enqueue(entry);

    public void Dispose()
    {
    }
}
