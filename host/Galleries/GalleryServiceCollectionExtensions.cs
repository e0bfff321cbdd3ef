using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Galleries;
using Router.Galleries.Detections;
using Router.Galleries.Engine;
using Router.Galleries.Storage;
using Router.Host.Decoding;

namespace Router.Host.Galleries;

public static class GalleryServiceCollectionExtensions
{
    /// <summary>
    /// The gallery engine from the "Galleries" section: the store it names, the detection
    /// cache it names (memory or Redis), the id generator, the in-process <see cref="IGalleryClient"/>, and a
    /// hosted service that loads the index at start-up. Face detection uses the
    /// IFaceAnalyzer registered elsewhere (AddFaceModels); without one, detect answers
    /// EXTRACTION_ERROR.
    /// </summary>
    public static IServiceCollection AddGalleries(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GalleryOptions>()
            .Bind(configuration.GetSection(GalleryOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GalleryOptions>, GalleryOptionsValidator>();
        services.AddSingleton<IGalleryStore>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<GalleryOptions>>().Value;
            return o.Store == "postgres"
                ? new PostgresGalleryStore(o.PostgresConnectionString!)
                : new SqliteGalleryStore(Path.Combine(o.DataDir, "galleries.db"));
        });
        services.AddSingleton<IDetectionCache>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<GalleryOptions>>().Value;
            return o.DetectionCache == "redis"
                ? RedisDetectionCache.Connect(o.RedisConfiguration!, o.DetectionTtl)
                : new MemoryDetectionCache(o.DetectionTtl, o.DetectionCapacity);
        });
        services.AddSingleton<IIdGenerator, RandomIdGenerator>();
        services.AddSingleton(sp => new GalleryEngine(sp.GetRequiredService<IGalleryStore>(), sp.GetRequiredService<IDetectionCache>(),
            sp.GetRequiredService<IIdGenerator>(), sp.GetRequiredService<ILogger<GalleryEngine>>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>(),
            followChanges: sp.GetRequiredService<IOptions<GalleryOptions>>().Value.FollowChanges,
            metaLimits: sp.GetRequiredService<IOptions<GalleryOptions>>().Value.MetaLimits)
        {
            IndexSnapshotInterval = sp.GetRequiredService<IOptions<GalleryOptions>>().Value.IndexSnapshotInterval,
        });
        services.AddOptions<DecodingOptions>().Bind(configuration.GetSection(DecodingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DecodingOptions>, DecodingOptionsValidator>();
        services.AddSingleton<DecodeBudget>();
        services.AddSingleton<InProcessGalleryClient>();
        services.AddSingleton<IGalleryClient>(sp => sp.GetRequiredService<InProcessGalleryClient>());
        services.AddSingleton<PhotoFaces>();
        services.AddHostedService<GalleryEngineStartup>();
        return services;
    }
}
