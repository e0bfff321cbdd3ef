using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Router.Host.Cameras;
using Router.Host.Pipeline;

namespace Router.Host.Cluster;

public static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Clustering ("Cluster" section, validated at start). When Cluster:Enabled, the cameras stored over the
    /// API live in PostgreSQL and the <see cref="CameraAssigner"/> runs each on one live node; event ids carry
    /// the node's slot. Otherwise nothing changes (cameras.json, every camera here). Call after
    /// AddCameraCatalog: the assigner then starts after the catalog and stops (and frees its locks) first.
    /// </summary>
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ClusterOptions>().Bind(configuration.GetSection(ClusterOptions.Section))
            .PostConfigure(o =>
            {
                if (string.IsNullOrWhiteSpace(o.PostgresConnectionString)
                    && string.Equals(configuration["Galleries:Store"], "postgres", StringComparison.OrdinalIgnoreCase))
                    o.PostgresConnectionString = configuration["Galleries:PostgresConnectionString"];
                if (string.IsNullOrWhiteSpace(o.RedisConfiguration)) o.RedisConfiguration = configuration["Galleries:RedisConfiguration"];
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        if (!configuration.GetSection(ClusterOptions.Section).GetValue<bool>(nameof(ClusterOptions.Enabled))) return services;

        services.TryAddSingleton<ClusterDatabase>();
        services.TryAddSingleton<PostgresCameraStore>();
        services.TryAddSingleton<ClusterState>();
        services.TryAddSingleton(sp => new ClusterEventIdGenerator(sp.GetRequiredService<IOptions<ClusterOptions>>().Value.NodeName));
        services.RemoveAll<ICameraStore>();
        services.AddSingleton<ICameraStore>(sp => sp.GetRequiredService<PostgresCameraStore>());
        services.RemoveAll<ICameraPlacement>();
        services.AddSingleton<ICameraPlacement>(sp => sp.GetRequiredService<ClusterState>());
        services.RemoveAll<IEventIdGenerator>();
        services.AddSingleton<IEventIdGenerator>(sp => sp.GetRequiredService<ClusterEventIdGenerator>());
        services.AddHostedService<ClusterOriginHostedService>();
        services.AddHostedService<CameraAssigner>();
        var redis = configuration["Cluster:RedisConfiguration"] ?? configuration["Galleries:RedisConfiguration"];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            services.TryAddSingleton<RedisEventFanOut>();
            services.AddHostedService(sp => sp.GetRequiredService<RedisEventFanOut>());
        }
        return services;
    }
}
