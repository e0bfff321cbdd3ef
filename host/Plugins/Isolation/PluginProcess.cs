using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Router.Abstractions;

namespace Router.Host.Plugins.Isolation;

/// <summary>
/// The plugin's side of isolation (<c>router plugin-process</c>, started by <see cref="IsolatedPlugin"/>):
/// loads the plugin as the host would (its own load context, the same constructor rules, a gallery
/// client over the host's API), then answers the host's calls from stdin on stdout. Calls run
/// concurrently; the plugin's own console output goes to stderr, which the host logs.
/// A crash, <c>Environment.Exit</c> or an exhausted heap ends this process only.
/// </summary>
internal static class PluginProcess
{
    public static async Task<int> RunAsync()
    {
        var input = Console.OpenStandardInput();
        var output = Console.OpenStandardOutput();
        Console.SetOut(Console.Error); // the frames own stdout
        using var loggers = LoggerFactory.Create(b => b
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .SetMinimumLevel(LogLevel.Information));
        var writeLock = new SemaphoreSlim(1, 1);
        Task Send(PluginMessage m) => PluginFrames.WriteAsync(output, writeLock, m, CancellationToken.None);

        var first = await PluginFrames.ReadAsync(input, CancellationToken.None).ConfigureAwait(false);
        if (first?.Start is not { } start) return 2;
        IFaceRouterPlugin plugin;
        HttpGalleryClient? galleries = start.GalleryUrl is { } url ? new HttpGalleryClient(new Uri(url), start.ApiKey) : null;
        try
        {
            var loader = PluginLoader.OpenPackageLoader(start.AssemblyPath); // lives as long as this process
            var assembly = loader.LoadDefaultAssembly();
            PluginLoader.CheckContract(assembly, Path.GetFileNameWithoutExtension(start.AssemblyPath));
            var type = PluginActivator.FindPluginType(assembly, start.Type);
            var settings = new ConfigurationBuilder().AddInMemoryCollection(start.Settings).Build();
            var pluginContext = new ProcessPluginContext(start.Name, (IGalleryClient?)galleries ?? new GalleriesUnavailable("galleries are not reachable from this isolated plugin: the host serves no API"), start.Settings, start.DataDirectory,
                (eventId, annotation) => _ = Send(new PluginMessage { Op = "annotate", EventId = eventId, Annotation = annotation.ToDictionary() }));
            plugin = PluginActivator.Create(type, pluginContext, loggers, settings);
            await Send(new PluginMessage { Op = "ready", Version = PluginLoader.VersionOf(assembly), TypeName = type.FullName }).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var error = e is RouterException r ? new WireError(r.Code, r.Reason) : new WireError(PluginErrorCodes.LoadError, e.Message);
            await Send(new PluginMessage { Op = "failed", Error = error }).ConfigureAwait(false);
            return 3;
        }

        var calls = new ConcurrentDictionary<long, CancellationTokenSource>();
        var requests = new SentRequests();
        while (await PluginFrames.ReadAsync(input, CancellationToken.None).ConfigureAwait(false) is { } message)
        {
            switch (message.Op)
            {
                case "cancel":
                    if (calls.TryGetValue(message.Id, out var cts)) cts.Cancel();
                    break;
                case "shutdown":
                    await RunCallAsync(message, calls, Send, async ct =>
                    {
                        await plugin.ShutdownAsync(ct).ConfigureAwait(false);
                        return FaceFeatures.None;
                    }).ConfigureAwait(false);
                    galleries?.Dispose();
                    // Foreground threads the plugin started must not keep this process alive.
                    Environment.Exit(0);
                    break;
                case "preprocess":
                    _ = RunCallAsync(message, calls, Send, async ct =>
                    {
                        var wanted = await plugin.PreprocessAsync(message.Request!, message.Request!.Labels, ct).ConfigureAwait(false);
                        if (wanted != FaceFeatures.None) requests.Keep(message.Id, message.Request!);
                        return wanted;
                    });
                    break;
                case "process":
                    _ = RunCallAsync(message, calls, Send, async ct =>
                    {
                        var r = message.Request ?? requests.Take(message.RequestOf)
                            ?? throw new RouterException(PluginMessage.UnknownRequest, $"process refers to request {message.RequestOf}, which this process does not hold");
                        await plugin.ProcessAsync(r, r.Photo, r.BBox, message.EventId, message.Detection!, ct).ConfigureAwait(false);
                        return FaceFeatures.None;
                    });
                    break;
            }
        }
        // stdin closed: the host is gone, and this process goes with it.
        Environment.Exit(0);
        return 0;
    }

    /// <summary>
    /// Requests whose preprocess wanted features, until their process comes. Bounded: a process that
    /// never comes (the router gave up) must not keep photos forever; the host then sends the request again.
    /// </summary>
    private sealed class SentRequests
    {
        private const int Capacity = 256;
        private readonly Dictionary<long, FaceRequest> _byId = [];
        private readonly Queue<long> _order = new();

        public void Keep(long id, FaceRequest request)
        {
            lock (_byId)
            {
                _byId[id] = request;
                _order.Enqueue(id);
                while (_order.Count > Capacity) _byId.Remove(_order.Dequeue());
            }
        }

        public FaceRequest? Take(long id)
        {
            lock (_byId) return _byId.Remove(id, out var request) ? request : null;
        }
    }

    private static async Task RunCallAsync(PluginMessage message, ConcurrentDictionary<long, CancellationTokenSource> calls,
        Func<PluginMessage, Task> send, Func<CancellationToken, Task<FaceFeatures>> call)
    {
        using var cts = new CancellationTokenSource();
        calls[message.Id] = cts;
        PluginMessage answer;
        try
        {
            var features = await Task.Run(() => call(cts.Token)).ConfigureAwait(false);
            answer = new PluginMessage { Op = "done", Id = message.Id, Features = features };
        }
        catch (Exception e)
        {
            var code = e is RouterException r ? r.Code : e is OperationCanceledException ? "CANCELLED" : e.GetType().Name;
            answer = new PluginMessage { Op = "error", Id = message.Id, Error = new WireError(code, e.Message) };
        }
        finally { calls.TryRemove(message.Id, out _); }
        await send(answer).ConfigureAwait(false);
    }

    /// <summary>IPluginContext in the plugin's process: as in the host, except that other plugins are not reachable.</summary>
    private sealed class ProcessPluginContext(string name, IGalleryClient galleries, IReadOnlyDictionary<string, string?> settings, string dataDirectory,
        Action<ulong, IReadOnlyDictionary<string, string>> annotate) : IPluginContext
    {
        public string Name { get; } = name;
        public IGalleryClient Galleries { get; } = galleries;
        public IIdGenerator IdGenerator { get; } = new Router.Galleries.RandomIdGenerator();
        public IReadOnlyDictionary<string, string?> Settings { get; } = settings;
        public string DataDirectory { get; } = dataDirectory;
        public IFaceRouterPlugin? GetPlugin(string pluginName) => null;
        public void Annotate(ulong eventId, IReadOnlyDictionary<string, string> annotation)
        {
            ArgumentNullException.ThrowIfNull(annotation);
            annotate(eventId, annotation);
        }
    }
}
