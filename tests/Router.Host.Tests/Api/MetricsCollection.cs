using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// Tests that read <c>/metrics</c> run alone: OpenTelemetry collects meters by name across the
/// process, so a host of another test running at the same time would add its own series (a
/// process of `router run` or `router serve` has one host).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "metrics";
}
