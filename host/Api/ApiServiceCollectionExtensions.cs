using Router.Host.Compat.DeepStack;
using Router.Host.Compat.CompreFace;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Router.Host.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The HTTP API's own services: options ("Api" section, validated at start), Kestrel limits, OpenAPI, the guard on the addresses bound.</summary>
    public static IServiceCollection AddRouterApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>((kestrel, api) =>
        {
            // Twice the API limit: our own check answers with the JSON 413, and a body that overflows
            // by up to one more limit is drained (RequestBody) so that the client, still sending,
            // reads that answer instead of a reset. Beyond that Kestrel cuts the connection.
            kestrel.Limits.MaxRequestBodySize = 2 * api.Value.MaxBodyBytes + 1;
            kestrel.AddServerHeader = false;
            // Kestrel's own 400/414/431... answers get the JSON error body too.
            kestrel.ConfigureEndpointDefaults(listen => listen.Use(KestrelErrorBodies.Middleware));
        });
        services.AddOptions<CompreFaceOptions>().Bind(configuration.GetSection(CompreFaceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CompreFaceOptions>, CompreFaceOptionsValidator>();
        services.AddOptions<DeepStackOptions>().Bind(configuration.GetSection(DeepStackOptions.Section))
            .Validate(o => o.ApiKeys.All(k => !string.IsNullOrWhiteSpace(k)), "DeepStack:ApiKeys must not hold empty keys")
            .Validate(o => o.Gallery is { Length: > 0 }, "DeepStack:Gallery must name a gallery")
            .ValidateOnStart();
        // Typed results (TypedResults.Ok...) and the OpenAPI schemas use the framework's JSON settings:
        // make them the API's own, so that what the document describes is what is written.
        services.ConfigureHttpJsonOptions(o => RouterJsonSettings.CopyTo(o.SerializerOptions));
        services.AddOpenApi(ApiDocument.Configure);
        services.AddHostedService<BoundAddressGuard>();
        services.AddHostedService<Composition.ConfigurationKeyWarnings>();
        return services;
    }
}
