using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Router.Host.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The HTTP API's own services: options ("Api" section, validated at start), Kestrel limits, OpenAPI.</summary>
    public static IServiceCollection AddRouterApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().Bind(configuration.GetSection(ApiOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ApiOptions>>((kestrel, api) =>
        {
            // A little above the API limit, so that our own check answers with the JSON 413.
            kestrel.Limits.MaxRequestBodySize = api.Value.MaxBodyBytes + 1;
            kestrel.AddServerHeader = false;
        });
        services.AddOpenApi();
        return services;
    }
}
