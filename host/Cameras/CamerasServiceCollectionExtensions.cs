using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Router.Host.Cameras;

public static class CamerasServiceCollectionExtensions
{
    /// <summary>
    /// The camera catalog over the API: cameras persisted in <c>{DataDir}/cameras.json</c> and
    /// started with the host. Call after AddVideoPipeline (its CameraManager) and last among
    /// the hosted services, so that cameras stop first.
    /// </summary>
    public static IServiceCollection AddCameraCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => new CameraStore(Path.Combine(configuration["DataDir"] ?? "data", "cameras.json")));
        services.TryAddSingleton<ICameraStore>(sp => sp.GetRequiredService<CameraStore>());
        services.TryAddSingleton<ICameraPlacement, LocalCameraPlacement>();
        services.TryAddSingleton<CameraProber>();
        services.TryAddSingleton<CameraCatalog>();
        services.AddHostedService<StoredCamerasHostedService>();
        return services;
    }
}
