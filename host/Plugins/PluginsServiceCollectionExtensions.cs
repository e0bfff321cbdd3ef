using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Telemetry;

namespace Router.Host.Plugins;

public static class PluginsServiceCollectionExtensions
{
    /// <summary>
    /// Plugin loading and hot reload, configured from the <c>Plugins</c> section
    /// of <paramref name="configuration"/> (validated at start). Needs, from elsewhere:
    /// <see cref="IGalleryClient"/> (the in-process gallery client plugins use),
    /// <c>IDetectionCache</c> (the detection cache) and <c>IFaceAnalyzer</c> (the models).
    /// </summary>
    public static IServiceCollection AddPlugins(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(PluginsOptions.SectionName);
        services.AddOptions<PluginsOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PluginsOptions>, PluginsOptionsValidator>());
        services.TryAddSingleton<IIdGenerator, Router.Galleries.RandomIdGenerator>();
        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<PluginsOptions>>().Value;
            return new PluginShadowCopies(o.ShadowDirectory
                ?? Path.Combine(Path.GetTempPath(), "router-plugins-shadow", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        });
        services.TryAddSingleton<EventAnnotations>();
        services.TryAddSingleton(sp => new PluginLoader(
            sp.GetRequiredService<IOptions<PluginsOptions>>(), section, sp.GetRequiredService<IGalleryClient>(),
            sp.GetRequiredService<IIdGenerator>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<PluginShadowCopies>(),
            sp.GetRequiredService<EventAnnotations>(), sp.GetRequiredService<IOptions<Isolation.IsolatedPluginsApi>>()));
        services.TryAddSingleton<PluginRegistry>();
        services.TryAddSingleton<PluginMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMetricSource, PluginMetrics>(sp => sp.GetRequiredService<PluginMetrics>()));
        services.AddHostedService<PluginHotReloader>();
        return services;
    }
}
