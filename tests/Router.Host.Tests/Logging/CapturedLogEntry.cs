using Microsoft.Extensions.Logging;

namespace Router.Host.Tests.Logging;

/// <summary>One log entry a test host wrote, with its exception if it had one.</summary>
public sealed record CapturedLogEntry(string Category, LogLevel Level, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : " | " + Exception)}";
}
