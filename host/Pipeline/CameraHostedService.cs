using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Router.Host.Pipeline;

/// <summary>Starts the configured cameras with the host and stops them (ffmpeg killed, tracks flushed) when it stops.</summary>
public sealed class CameraHostedService(CameraManager cameras, IOptions<CamerasOptions> options, ILogger<CameraHostedService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var camera in options.Value.Definitions())
        {
            cameras.Start(camera);
            logger.LogInformation("camera {CamId}: started ({Url})", camera.Id, camera.Url);
        }
        try { await Task.Delay(Timeout.Infinite, stoppingToken); }
        catch (OperationCanceledException) { }
        await cameras.StopAllAsync();
    }
}
