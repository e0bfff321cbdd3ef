namespace Router.Abstractions;

/// <summary>What the host gives a plugin (facerouter's ctx).</summary>
public interface IPluginContext
{
    /// <summary>The plugin's name (its folder name).</summary>
    string Name { get; }

    /// <summary>Detection and galleries, in process.</summary>
    IGalleryClient Galleries { get; }

    /// <summary>Ids for new gallery faces.</summary>
    IIdGenerator IdGenerator { get; }

    /// <summary>
    /// The plugin's own configuration section, flattened: keys are paths below the section
    /// joined with ':' (for example "webhook:url", "galleries:0").
    /// </summary>
    IReadOnlyDictionary<string, string?> Settings { get; }

    /// <summary>Another loaded plugin by name, or null.</summary>
    IFaceRouterPlugin? GetPlugin(string name);

    /// <summary>The folder where the plugin may keep its own files.</summary>
    string DataDirectory { get; }

    /// <summary>
    /// Attaches what the plugin concluded about an event (for example the person it matched) to that
    /// event, where the events API, its stream and the console show it under the plugin's name.
    /// Call it from ProcessAsync; a later annotation of the same event replaces the earlier one.
    /// </summary>
    void Annotate(ulong eventId, IReadOnlyDictionary<string, string> annotation);
}
