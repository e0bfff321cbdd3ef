using Router.Tests.Common.Servers;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>One PostgreSQL server for every test class that needs one (each test takes its own database).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
