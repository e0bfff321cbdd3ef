using Microsoft.Extensions.Options;
using Npgsql;

namespace Router.Host.Cluster;

/// <summary>The cluster's pooled PostgreSQL data source (camera writes and reads, the cluster view); the assigner's lock connection is its own.</summary>
public sealed class ClusterDatabase : IAsyncDisposable
{
    public ClusterDatabase(IOptions<ClusterOptions> options)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.Value.PostgresConnectionString)
        {
            // A write that cannot reach the server fails within seconds rather than hanging an API call.
            Timeout = 5,
            CommandTimeout = 10,
        };
        ConnectionString = builder.ConnectionString;
        Source = NpgsqlDataSource.Create(ConnectionString);
    }

    public string ConnectionString { get; }
    public NpgsqlDataSource Source { get; }

    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
