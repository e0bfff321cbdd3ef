using Router.Abstractions;

namespace Router.Host.Plugins;

/// <summary>The host's <see cref="IPluginContext"/> (facerouter's ctx) for one plugin.</summary>
internal sealed class PluginContext(
    string name, IGalleryClient galleries, IIdGenerator idGenerator,
    IReadOnlyDictionary<string, string?> settings, string dataDirectory, Func<string, IFaceRouterPlugin?> lookup, EventAnnotations annotations)
    : IPluginContext
{
    public string Name { get; } = name;
    public IGalleryClient Galleries { get; } = galleries;
    public IIdGenerator IdGenerator { get; } = idGenerator;
    public IReadOnlyDictionary<string, string?> Settings { get; } = settings;
    public string DataDirectory { get; } = dataDirectory;

    // Looked up on every call, so a plugin that asks again after a reload gets the new generation.
    public IFaceRouterPlugin? GetPlugin(string pluginName) => lookup(pluginName);

    public void Annotate(ulong eventId, IReadOnlyDictionary<string, string> annotation)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        annotations.Add(eventId, Name, annotation);
    }
}
