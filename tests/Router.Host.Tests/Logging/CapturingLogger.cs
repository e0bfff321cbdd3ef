using Microsoft.Extensions.Logging;

namespace Router.Host.Tests.Logging;

/// <summary>A logger of one category that appends to its <see cref="CapturingLoggerProvider"/>.</summary>
internal sealed class CapturingLogger(string category, CapturingLoggerProvider provider) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    // The host's configured filters (Logging:LogLevel) decide what reaches here.
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel)) provider.Add(new CapturedLogEntry(category, logLevel, formatter(state, exception), exception));
    }
}
