using Router.Galleries;

namespace Router.Host.Health;

public static class HealthServiceCollectionExtensions
{
    /// <summary>The tag of the checks <c>/readyz</c> runs; <c>/healthz</c> runs none.</summary>
    public const string Ready = "ready";

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Readiness checks: the gallery store always; PostgreSQL and Redis when the <c>Galleries</c>
    /// section uses them (AspNetCore.HealthChecks' own checks, each on its own connection, so a
    /// check never queues behind the store's or the cache's traffic).
    /// </summary>
    public static IServiceCollection AddRouterHealth(this IServiceCollection services, IConfiguration configuration)
    {
        var galleries = configuration.GetSection(GalleryOptions.Section).Get<GalleryOptions>() ?? new GalleryOptions();
        var checks = services.AddHealthChecks()
            .AddCheck<GalleryStoreHealthCheck>("gallery_store", tags: [Ready], timeout: CheckTimeout);
        if (galleries.Store == "postgres" && !string.IsNullOrWhiteSpace(galleries.PostgresConnectionString))
            checks.AddNpgSql(galleries.PostgresConnectionString, name: "postgres", tags: [Ready], timeout: CheckTimeout);
        if (galleries.DetectionCache == "redis" && !string.IsNullOrWhiteSpace(galleries.RedisConfiguration))
            checks.AddRedis(galleries.RedisConfiguration, name: "redis", tags: [Ready], timeout: CheckTimeout);
        return services;
    }
}
