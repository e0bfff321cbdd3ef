using Microsoft.Extensions.Logging.Abstractions;
using Router.Host.Ingest;
using Router.Host.Pipeline;
using Router.Models.Faces;
using Router.Tests.Common.Servers;

namespace Router.Host.Tests.Rtsp;

/// <summary>
/// A clip served over RTSP by GStreamer's server (a relay mount fed by an ffmpeg RTP publisher
/// looping the clip) and a real camera pipeline playing it into a collecting sink. Disposing
/// stops the camera, then the publisher and the server (process trees), whatever the test did.
/// </summary>
internal sealed class GstRelayCamera : IAsyncDisposable
{
    private const string Mount = "relay";
    private readonly CancellationTokenSource _stop = new();
    private Task? _run;

    private GstRelayCamera(string clip, string camId, CameraSettings settings, IFaceAnalyzer analyzer)
    {
        Server = new RtspGstServer(Mount);
        Publisher = ClipPublisher.Rtp(clip, Server.RelayInput(Mount));
        var camera = new CameraDefinition { Id = camId, Url = Server.MountUrl(Mount), Settings = settings.Validated() };
        Pipeline = new CameraPipeline(camera, analyzer, Sink, new TimeOrderedEventIdGenerator(), NullLogger.Instance);
    }

    public RtspGstServer Server { get; }
    public ClipPublisher Publisher { get; }
    public CameraPipeline Pipeline { get; }
    public CollectingFaceEventSink Sink { get; } = new();

    public static async Task<GstRelayCamera> StartAsync(string clip, string camId, CameraSettings settings, IFaceAnalyzer analyzer)
    {
        var run = new GstRelayCamera(clip, camId, settings, analyzer);
        try
        {
            await run.Server.StartAsync();
            await run.Publisher.StartAsync();
            run._run = run.Pipeline.RunAsync(run._stop.Token);
            return run;
        }
        catch
        {
            await run.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the camera (bounded): its last tracks post as they end, then the sink holds everything.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        if (_run != null) await _run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Publisher.Stop();
            Server.Stop();
            _stop.Dispose();
        }
    }
}
