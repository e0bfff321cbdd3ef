using Microsoft.Extensions.Options;
using Router.Host.Compat.CompreFace;
using Router.Host.Compat.DeepStack;

namespace Router.Host.Compat;

/// <summary>The APIs other tools speak (CompreFace, DeepStack): their options, validated at start, and their endpoints.</summary>
public static class CompatServiceCollectionExtensions
{
    public static IServiceCollection AddCompatApis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CompreFaceOptions>().Bind(configuration.GetSection(CompreFaceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CompreFaceOptions>, CompreFaceOptionsValidator>();
        services.AddOptions<DeepStackOptions>().Bind(configuration.GetSection(DeepStackOptions.Section))
            .Validate(o => o.ApiKeys.All(k => !string.IsNullOrWhiteSpace(k)), "DeepStack:ApiKeys must not hold empty keys")
            .Validate(o => o.Gallery is { Length: > 0 }, "DeepStack:Gallery must name a gallery")
            .ValidateOnStart();
        return services;
    }

    public static IEndpointRouteBuilder MapCompatEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapCompreFaceEndpoints();
        app.MapDeepStackEndpoints();
        return app;
    }
}
