using System.Text.Json;
using Router.Abstractions;
using StackExchange.Redis;

namespace Router.Galleries.Detections;

/// <summary>
/// Detection cache in Redis (shared by several Router processes, survives their restarts):
/// one key per detection, SET with the TTL as expiry. The size bound is Redis's own
/// (maxmemory with an LRU policy), as with sf-api's memcached.
/// </summary>
/// <remarks>
/// StackExchange.Redis takes no cancellation token per command: a cancelled caller stops
/// waiting (<c>WaitAsync</c>) while the command, already written to the pipeline, completes
/// or times out on the shared connection (syncTimeout/asyncTimeout of the configuration).
/// </remarks>
public sealed class RedisDetectionCache : IDetectionCache, IDisposable
{
    private const string Prefix = "router:detection:";
    private readonly ConnectionMultiplexer _redis;
    private readonly TimeSpan _ttl;

    private RedisDetectionCache(ConnectionMultiplexer redis, TimeSpan ttl)
    {
        _redis = redis;
        _ttl = ttl;
    }

    public static RedisDetectionCache Connect(string configuration, TimeSpan ttl)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false; // start even while Redis is down; operations report CACHE_ERROR
        return new RedisDetectionCache(ConnectionMultiplexer.Connect(options), ttl);
    }

    public async ValueTask PutAsync(DetectFace detection, CancellationToken ct = default)
    {
        var id = detection.Id ?? throw new ArgumentException("a cached detection needs an id", nameof(detection));
        if (detection.Facen is null) throw new ArgumentException("a cached detection needs its facen", nameof(detection));
        var json = JsonSerializer.SerializeToUtf8Bytes(WireDetectFace.From(detection, withFacen: true), RouterJson.Options);
        await _redis.GetDatabase().StringSetAsync(Prefix + id, json, _ttl).WaitAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask<DetectFace?> GetAsync(string id, CancellationToken ct = default)
    {
        var value = await _redis.GetDatabase().StringGetAsync(Prefix + id).WaitAsync(ct).ConfigureAwait(false);
        if (value.IsNull) return null;
        return JsonSerializer.Deserialize<WireDetectFace>((byte[])value!, RouterJson.Options)?.ToDetectFace();
    }

    /// <summary>One PING round trip, for readiness checks: throws when Redis cannot be reached.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken ct = default) =>
        await _redis.GetDatabase().PingAsync().WaitAsync(ct).ConfigureAwait(false);

    public void Dispose() => _redis.Dispose();
}
