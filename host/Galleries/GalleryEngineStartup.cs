using Router.Galleries.Engine;

namespace Router.Host.Galleries;

/// <summary>Loads every gallery into memory before the host reports itself started.</summary>
internal sealed class GalleryEngineStartup(GalleryEngine engine) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => engine.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
