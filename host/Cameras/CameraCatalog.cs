using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Ingest;
using Router.Host.Pipeline;

namespace Router.Host.Cameras;

/// <summary>
/// Every camera of the host, like a video manager's jobs: those of the "Cameras" configuration
/// section (started by <see cref="CameraHostedService"/>, read-only here) and those managed over
/// the API (persisted in the <see cref="ICameraStore"/>, started at start-up). Changes are
/// serialized: a PUT stores the camera, then (re)starts or stops it. In a cluster the
/// <see cref="ICameraPlacement"/> decides which stored cameras run here: a PUT or DELETE only
/// stores the change (and restarts or stops the camera when it runs on this node), and the
/// placement starts and stops cameras through <see cref="RunHereAsync"/> and <see cref="StopHereAsync"/>.
/// </summary>
public sealed partial class CameraCatalog : IDisposable
{
    private readonly ICameraStore _store;
    private readonly ICameraPlacement _placement;
    // The UpdatedAt of the stored record each camera that runs here was started from, so that a
    // change stored by another node restarts it, and nothing else does.
    private readonly ConcurrentDictionary<string, DateTimeOffset> _runningVersion = new(StringComparer.Ordinal);
    private readonly CameraManager _manager;
    private readonly IOptions<CamerasOptions> _configured;
    private readonly ILogger<CameraCatalog> _logger;
    private readonly CameraSourcePolicy _sources;
    private readonly SemaphoreSlim _changes = new(1, 1);
    // Stored cameras refused at start-up (settings or source no longer allowed): shown in their status, not run.
    private readonly ConcurrentDictionary<string, RouterException> _refused = new(StringComparer.Ordinal);

    public CameraCatalog(ICameraStore store, CameraManager manager, IOptions<CamerasOptions> configured, CameraSourcePolicy sources, ILogger<CameraCatalog> logger,
        CameraProber prober, ICameraPlacement placement)
    {
        _store = store;
        _placement = placement;
        _manager = manager;
        _configured = configured;
        _sources = sources;
        _logger = logger;
        _prober = prober;
    }

    private readonly CameraProber _prober;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex IdPattern();

    public IReadOnlyList<CameraView> List()
    {
        var views = _configured.Value.Definitions().Select(ConfiguredView).ToList();
        views.AddRange(_store.All().Where(r => !IsConfigured(r.Id)).Select(StoredView));
        return views.OrderBy(v => v.Id, StringComparer.Ordinal).ToList();
    }

    public CameraView Get(string id)
    {
        if (_configured.Value.Definitions().FirstOrDefault(d => d.Id == id) is { } configured) return ConfiguredView(configured);
        return _store.Get(id) is { } record ? StoredView(record) : throw NotFound(id);
    }

    /// <summary>Creates or replaces a camera, then starts it when enabled (restarting it if it ran) or stops it when disabled.</summary>
    public async Task<(CameraView View, bool Created)> PutAsync(string id, CameraPut body, CancellationToken ct)
    {
        CheckId(id);
        if (IsConfigured(id))
            throw new RouterException(ErrorCodes.Conflict, $"camera '{id}' is defined in the configuration (section Cameras) and is read-only over the API", "id", id);
        if (string.IsNullOrWhiteSpace(body.StreamUrl)) throw RouterException.BadParam("stream_url", body.StreamUrl, "stream_url is required");
        _sources.Check(body.StreamUrl);
        var overrides = body.Settings ?? new JsonObject();
        var labels = body.Labels ?? new Dictionary<string, string>();
        var settings = CameraSettingsOverrides.Apply(overrides, labels);
        var definition = new CameraDefinition { Id = id, Url = body.StreamUrl, Settings = settings };

        await _changes.WaitAsync(ct);
        try
        {
            var previous = _store.Get(id);
            var now = DateTimeOffset.UtcNow;
            var record = new CameraRecord
            {
                Id = id,
                StreamUrl = body.StreamUrl,
                Labels = labels,
                Enabled = body.Enabled ?? true,
                Settings = (JsonObject)overrides.DeepClone(),
                CreatedAt = previous?.CreatedAt ?? now,
                UpdatedAt = now,
            };
            await _store.PutAsync(record, ct);
            _refused.TryRemove(id, out _);
            // What the source holds (or why it holds no video), shown within seconds, whatever the stream does next.
            _prober.Start(id, body.StreamUrl, settings.FfmpegParams);
            if (!_placement.RunsEverything)
            {
                // Stored for every node; the placement (re)starts it where it runs, this node included.
                _placement.StoredCamerasChanged();
                _logger.LogInformation("camera {CamId}: {Action} in {Store}", id, previous is null ? "added" : "replaced", _store.Description);
                return (StoredView(record), previous is null);
            }
            await _manager.StopAsync(id);
            if (record.Enabled)
            {
                _manager.Start(definition);
                _logger.LogInformation("camera {CamId}: {Action} and started ({Url})", id, previous is null ? "added" : "replaced", body.StreamUrl);
            }
            else
            {
                _logger.LogInformation("camera {CamId}: {Action}, disabled", id, previous is null ? "added" : "replaced");
            }
            return (StoredView(record), previous is null);
        }
        finally { _changes.Release(); }
    }

    /// <summary>Stops and removes an API camera.</summary>
    public async Task DeleteAsync(string id, CancellationToken ct)
    {
        if (IsConfigured(id))
            throw new RouterException(ErrorCodes.Conflict, $"camera '{id}' is defined in the configuration (section Cameras) and is read-only over the API", "id", id);
        await _changes.WaitAsync(ct);
        try
        {
            if (_store.Get(id) is null) throw NotFound(id);
            await _manager.StopAsync(id);
            _runningVersion.TryRemove(id, out _);
            await _store.DeleteAsync(id, ct);
            _refused.TryRemove(id, out _);
            _prober.Forget(id);
            _placement.StoredCamerasChanged();
            _logger.LogInformation("camera {CamId}: stopped and removed", id);
        }
        finally { _changes.Release(); }
    }

    /// <summary>Starts every enabled stored camera (host start-up). A camera whose stored settings became invalid is logged and skipped.</summary>
    public async Task StartStoredAsync(CancellationToken ct)
    {
        if (!_placement.RunsEverything) return; // the placement starts what runs here
        await _changes.WaitAsync(ct);
        try
        {
            foreach (var record in _store.All())
            {
                if (!record.Enabled) continue;
                if (IsConfigured(record.Id))
                {
                    _logger.LogWarning("camera {CamId}: stored over the API but also configured; the configured one runs", record.Id);
                    continue;
                }
                try
                {
                    // cameras.json may predate a rule or have been edited by hand: checked as a PUT is.
                    _sources.Check(record.StreamUrl);
                    var settings = CameraSettingsOverrides.Apply(record.Settings, record.Labels);
                    _manager.Start(new CameraDefinition { Id = record.Id, Url = record.StreamUrl, Settings = settings });
                    _prober.Start(record.Id, record.StreamUrl, settings.FfmpegParams);
                    _logger.LogInformation("camera {CamId}: started ({Url})", record.Id, record.StreamUrl);
                }
                catch (RouterException e)
                {
                    _refused[record.Id] = e;
                    _logger.LogError("camera {CamId}: not started: {Code} {Param} {Reason}", record.Id, e.Code, e.Param, e.Reason);
                }
            }
        }
        finally { _changes.Release(); }
    }

    /// <summary>The stored cameras that should run somewhere: enabled, and not shadowed by a configured camera.</summary>
    public IReadOnlyList<CameraRecord> Runnable() => _store.All().Where(r => r.Enabled && !IsConfigured(r.Id)).ToList();

    /// <summary>The stored cameras this node runs now.</summary>
    public IReadOnlyCollection<string> RunningHere() => _runningVersion.Keys.ToList();

    /// <summary>
    /// Runs a stored camera on this node (the placement holds its assignment): starts it, restarts it when
    /// its stored record changed since it started, leaves it alone otherwise. False when the camera is no
    /// longer stored or enabled, or its settings are refused (shown in its status); then it does not run here.
    /// </summary>
    public async Task<bool> RunHereAsync(string id, CancellationToken ct)
    {
        await _changes.WaitAsync(ct);
        try
        {
            var record = _store.Get(id);
            if (record is null || !record.Enabled || IsConfigured(id))
            {
                await StopLockedAsync(id);
                return false;
            }
            if (_runningVersion.TryGetValue(id, out var version) && version == record.UpdatedAt && _manager.Get(id) is not null) return true;
            await StopLockedAsync(id);
            try
            {
                _sources.Check(record.StreamUrl);
                var settings = CameraSettingsOverrides.Apply(record.Settings, record.Labels);
                _manager.Start(new CameraDefinition { Id = record.Id, Url = record.StreamUrl, Settings = settings });
                _runningVersion[id] = record.UpdatedAt;
                _refused.TryRemove(id, out _);
                if (_prober.Find(id) is null) _prober.Start(record.Id, record.StreamUrl, settings.FfmpegParams);
                _logger.LogInformation("camera {CamId}: started on this node ({Url})", id, record.StreamUrl);
                return true;
            }
            catch (RouterException e)
            {
                _refused[id] = e;
                _logger.LogError("camera {CamId}: not started: {Code} {Param} {Reason}", id, e.Code, e.Param, e.Reason);
                return false;
            }
        }
        finally { _changes.Release(); }
    }

    /// <summary>Stops a stored camera that runs on this node (it moves to another, or this node fences itself).</summary>
    public async Task StopHereAsync(string id)
    {
        await _changes.WaitAsync();
        try { await StopLockedAsync(id); }
        finally { _changes.Release(); }
    }

    private async Task StopLockedAsync(string id)
    {
        if (_runningVersion.TryRemove(id, out _) | await _manager.StopAsync(id))
            _logger.LogInformation("camera {CamId}: stopped on this node", id);
    }

    private bool IsConfigured(string id) => _configured.Value.Cameras.ContainsKey(id);

    private CameraView ConfiguredView(CameraDefinition d) => new()
    {
        Id = d.Id,
        StreamUrl = d.Url,
        Labels = d.Settings.Labels,
        Enabled = true,
        Source = "config",
        Settings = JsonSerializer.SerializeToNode(d.Settings),
        Status = StatusOf(d.Id, enabled: true),
        Statistics = _manager.Get(d.Id)?.Statistics.Snapshot(),
        Probe = _prober.Find(d.Id),
    };

    private CameraView StoredView(CameraRecord r) => new()
    {
        Id = r.Id,
        StreamUrl = r.StreamUrl,
        Labels = r.Labels,
        Enabled = r.Enabled,
        Source = "api",
        Settings = r.Settings.DeepClone(),
        Status = StatusOf(r.Id, r.Enabled),
        Statistics = _manager.Get(r.Id)?.Statistics.Snapshot(),
        Probe = _prober.Find(r.Id),
        CreatedAt = r.CreatedAt,
        UpdatedAt = r.UpdatedAt,
        Node = _placement.NodeOf(r.Id),
    };

    private CameraStatusView StatusOf(string id, bool enabled)
    {
        if (_refused.TryGetValue(id, out var refused)) return new CameraStatusView("invalid", $"{refused.Param}: {refused.Reason}", refused.Code);
        if (_manager.Get(id) is not { } pipeline)
        {
            // In a cluster, a camera another node runs is "remote" here; its node is in the view.
            if (enabled && !_placement.RunsEverything && _placement.NodeOf(id) is not null) return new CameraStatusView("remote", null);
            return new CameraStatusView(enabled ? "stopped" : "disabled", null);
        }
        var s = pipeline.Statistics.Snapshot();
        return new CameraStatusView(JsonNamingPolicy.SnakeCaseLower.ConvertName(s.State.ToString()), s.LastError);
    }

    private static void CheckId(string id)
    {
        if (!IdPattern().IsMatch(id))
            throw RouterException.BadParam("id", id, "a camera id is 1..64 letters, digits, '_', '.' or '-', starting with a letter or digit");
    }

    private static RouterException NotFound(string id) => new(ErrorCodes.NotFound, $"no camera '{id}'", "id", id);

    /// <summary>The container disposes the catalog after every hosted service stopped: no change is in flight.</summary>
    public void Dispose() => _changes.Dispose();
}
