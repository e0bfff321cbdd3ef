using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Router.Host.Api;

/// <summary>
/// Without API keys the API may listen on loopback only. <see cref="ApiServer.CheckBinding"/> checks
/// <c>urls</c> before the start, but Kestrel can be told to listen elsewhere in other ways
/// (<c>Kestrel:Endpoints:NAME:Url</c>, <c>ASPNETCORE_URLS</c>, <c>--urls</c> of a sub-host, code):
/// this checks the addresses Kestrel actually bound, once the server has started, whatever
/// configured them, and fails the start (so the host stops) when one is not loopback.
/// </summary>
/// <remarks>Runs in <see cref="IHostedLifecycleService.StartedAsync"/>: after every hosted service, the server included, has started.</remarks>
public sealed class BoundAddressGuard : IHostedLifecycleService
{
    private readonly IServer _server;
    private readonly IOptions<ApiOptions> _options;
    private readonly ILogger<BoundAddressGuard> _logger;

    public BoundAddressGuard(IServer server, IOptions<ApiOptions> options, ILogger<BoundAddressGuard> logger)
    {
        _server = server;
        _options = options;
        _logger = logger;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_options.Value.ApiKeys.Length > 0) return Task.CompletedTask;
        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var exposed = addresses.Where(a => !ApiServer.IsLoopback(a)).ToList();
        if (exposed.Count == 0) return Task.CompletedTask;
        var message = $"refusing to listen on {string.Join(", ", exposed)} without API keys: set Api:ApiKeys (e.g. ROUTER_Api__ApiKeys__0=KEY) "
            + "or bind to 127.0.0.1 only (check urls, Kestrel:Endpoints and ASPNETCORE_URLS)";
        _logger.LogCritical("{Message}", message);
        throw new InvalidOperationException(message);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
