using Xunit;

namespace Router.Host.Tests.Rtsp;

/// <summary>Tests that measure the process's threads and memory run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResourceMeasurementCollection
{
    public const string Name = "resource measurement";
}
