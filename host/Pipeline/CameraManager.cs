using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Router.Abstractions;
using Router.Host.Ingest;
using Router.Models.Faces;

namespace Router.Host.Pipeline;

/// <summary>
/// The running cameras of the host: start, stop, and read each camera's status. Each camera
/// is a <see cref="CameraPipeline"/> on its own task with its own cancellation.
/// </summary>
public sealed class CameraManager : IAsyncDisposable
{
    private readonly IFaceAnalyzer _analyzer;
    private readonly IFaceEventSink _sink;
    private readonly IEventIdGenerator _ids;
    private readonly ILoggerFactory _loggers;
    private readonly ConcurrentDictionary<string, RunningCamera> _cameras = new();

    public CameraManager(IFaceAnalyzer analyzer, IFaceEventSink sink, IEventIdGenerator ids, ILoggerFactory loggers)
    {
        _analyzer = analyzer;
        _sink = sink;
        _ids = ids;
        _loggers = loggers;
    }

    private sealed record RunningCamera(CameraPipeline Pipeline, CancellationTokenSource Stop, Task Task);

    /// <summary>Starts a camera; BAD_PARAM for invalid settings, CONFLICT when the id is taken.</summary>
    public CameraPipeline Start(CameraDefinition camera)
    {
        var pipeline = new CameraPipeline(camera, _analyzer, _sink, _ids, _loggers.CreateLogger($"Router.Host.Camera.{camera.Id}"));
        var stop = new CancellationTokenSource();
        var running = new RunningCamera(pipeline, stop, Task.CompletedTask);
        if (!_cameras.TryAdd(camera.Id, running))
        {
            stop.Dispose();
            throw new RouterException(ErrorCodes.Conflict, $"camera {camera.Id} is already running", "id", camera.Id);
        }
        _cameras[camera.Id] = running with { Task = Task.Run(() => pipeline.RunAsync(stop.Token), CancellationToken.None) };
        return pipeline;
    }

    public async Task<bool> StopAsync(string id)
    {
        if (!_cameras.TryRemove(id, out var running)) return false;
        await running.Stop.CancelAsync();
        await running.Task;
        running.Stop.Dispose();
        return true;
    }

    public IReadOnlyDictionary<string, CameraStatisticsSnapshot> Status() =>
        _cameras.ToDictionary(kv => kv.Key, kv => kv.Value.Pipeline.Statistics.Snapshot());

    public CameraPipeline? Get(string id) => _cameras.TryGetValue(id, out var r) ? r.Pipeline : null;

    public async Task StopAllAsync()
    {
        await Task.WhenAll(_cameras.Keys.ToList().Select(StopAsync));
    }

    public async ValueTask DisposeAsync() => await StopAllAsync();
}
