using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Router.Abstractions;

namespace Router.Host.Plugins.Isolation;

/// <summary>
/// A plugin run in a child process (<c>Plugins:Items:NAME:Isolation=process</c>), seen by the router as
/// any plugin: each call goes over the child's stdin/stdout (<see cref="PluginFrames"/>). A crash,
/// <c>Environment.Exit</c>, a stack overflow or the child's heap limit ends the child only: its calls
/// in flight fail (PLUGIN_PROCESS_EXITED), calls while it is down fail at once (PLUGIN_PROCESS_DOWN),
/// and it is started again after a back-off (1 s, doubling to 30 s; back to 1 s once a child has lived
/// a minute). Each restart is counted and logged.
/// </summary>
internal sealed class IsolatedPlugin : IFaceRouterPlugin, IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HealthyLife = TimeSpan.FromMinutes(1);

    private readonly PluginStart _start;
    private readonly long _heapLimitBytes;
    private readonly EventAnnotations _annotations;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    // The preprocess call that carried each face's request, so that its process refers to it.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<FaceRequest, object> _sent = new();
    private Child? _child;
    private long _nextId;
    private int _restarts;
    private int _failuresInARow;
    private bool _stopping;

    public IsolatedPlugin(PluginStart start, long heapLimitBytes, EventAnnotations annotations, ILogger logger)
    {
        _start = start;
        _heapLimitBytes = heapLimitBytes;
        _annotations = annotations;
        _logger = logger;
    }

    public int Restarts => Volatile.Read(ref _restarts);

    public int? ProcessId { get { lock (_gate) return _child?.Process.Id; } }

    /// <summary>Starts the first child and loads the plugin in it; throws the child's load error as the host's loader would.</summary>
    public async Task<(string Version, string TypeName)> StartAsync(CancellationToken ct)
    {
        var child = await StartChildAsync(ct).ConfigureAwait(false);
        lock (_gate) _child = child;
        return (child.Version, child.TypeName);
    }

    public async ValueTask<FaceFeatures> PreprocessAsync(FaceRequest request, IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        (await CallAsync(new PluginMessage { Op = "preprocess", Request = request }, ct, request).ConfigureAwait(false)).Features;

    public async ValueTask ProcessAsync(FaceRequest request, ReadOnlyMemory<byte> photo, BBox bbox, ulong eventId, DetectFace detection, CancellationToken ct)
    {
        // The child keeps the request of a preprocess that wanted features until its process (PluginProcess).
        var message = _sent.TryGetValue(request, out var id) && id is (long preprocess, Child sentTo) && ReferenceEquals(sentTo, CurrentChild())
            ? new PluginMessage { Op = "process", RequestOf = preprocess, EventId = eventId, Detection = detection }
            : new PluginMessage { Op = "process", Request = request, EventId = eventId, Detection = detection };
        _sent.Remove(request);
        try { await CallAsync(message, ct).ConfigureAwait(false); }
        catch (RouterException e) when (e.Code == PluginMessage.UnknownRequest)
        {
            await CallAsync(message with { Request = request, RequestOf = 0 }, ct).ConfigureAwait(false);
        }
    }

    private Child? CurrentChild()
    {
        lock (_gate) return _child;
    }

    public async ValueTask ShutdownAsync(CancellationToken ct)
    {
        Child? child;
        lock (_gate) { _stopping = true; child = _child; }
        if (child is null) return;
        try { await CallAsync(new PluginMessage { Op = "shutdown" }, ct).ConfigureAwait(false); }
        finally { await StopChildAsync(child).ConfigureAwait(false); }
    }

    public async ValueTask DisposeAsync()
    {
        Child? child;
        lock (_gate) { _stopping = true; child = _child; _child = null; }
        if (child is not null) await StopChildAsync(child).ConfigureAwait(false);
    }

    private async Task<PluginMessage> CallAsync(PluginMessage message, CancellationToken ct, FaceRequest? carries = null)
    {
        Child child;
        lock (_gate) child = _child ?? throw new RouterException(PluginErrorCodes.ProcessDown, $"the process of plugin {_start.Name} is down (restarting)");
        var id = Interlocked.Increment(ref _nextId);
        if (carries is not null) _sent.AddOrUpdate(carries, (id, child));
        var answer = new TaskCompletionSource<PluginMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        child.Pending[id] = answer;
        try
        {
            await PluginFrames.WriteAsync(child.Input, child.WriteLock, message with { Id = id }, ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            child.Pending.TryRemove(id, out _);
            throw new RouterException(PluginErrorCodes.ProcessExited, $"the process of plugin {_start.Name} is gone: {e.Message}");
        }
        // A call the router gives up on (its timeout) is cancelled in the child too.
        using var registration = ct.Register(() =>
        {
            if (!child.Pending.TryRemove(id, out _)) return;
            answer.TrySetCanceled(ct);
            _ = SendQuietlyAsync(child, new PluginMessage { Op = "cancel", Id = id });
        });
        var reply = await answer.Task.ConfigureAwait(false);
        if (reply.Op == "error")
            throw new RouterException(reply.Error?.Code ?? ErrorCodes.UnknownError, $"{_start.Name} (isolated): {reply.Error?.Reason}");
        return reply;
    }

    private static async Task SendQuietlyAsync(Child child, PluginMessage message)
    {
        try { await PluginFrames.WriteAsync(child.Input, child.WriteLock, message, CancellationToken.None).ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or ObjectDisposedException) { }
    }

    private async Task<Child> StartChildAsync(CancellationToken ct)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(PluginProcess).Assembly.Location);
        info.ArgumentList.Add("plugin-process");
        // The child's managed heap is bounded: a runaway allocation fails there (OutOfMemoryException) instead of growing the machine's memory.
        info.Environment["DOTNET_GCHeapHardLimit"] = "0x" + _heapLimitBytes.ToString("X", CultureInfo.InvariantCulture);
        var process = Process.Start(info) ?? throw new RouterException(PluginErrorCodes.LoadError, "the plugin's process did not start");
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) _logger.LogInformation("{Line}", line); };
        process.BeginErrorReadLine();
        var child = new Child(process, DateTimeOffset.UtcNow);
        try
        {
            await PluginFrames.WriteAsync(child.Input, child.WriteLock, new PluginMessage { Op = "start", Start = _start }, ct).ConfigureAwait(false);
            var first = await PluginFrames.ReadAsync(child.Output, ct).WaitAsync(StartTimeout, ct).ConfigureAwait(false);
            if (first is not { Op: "ready" })
                throw new RouterException(first?.Error?.Code ?? PluginErrorCodes.LoadError,
                    first?.Error?.Reason ?? $"the plugin's process ended while loading it (exit code {ExitCode(process)})");
            child.Version = first.Version ?? "0.0.0";
            child.TypeName = first.TypeName ?? "";
        }
        catch (Exception e) when (e is IOException or TimeoutException or JsonException or InvalidDataException)
        {
            await StopChildAsync(child).ConfigureAwait(false);
            throw new RouterException(PluginErrorCodes.LoadError, $"the plugin's process did not load it: {e.Message}", inner: e);
        }
        catch
        {
            await StopChildAsync(child).ConfigureAwait(false);
            throw;
        }
        child.Reader = Task.Run(() => ReadAsync(child), CancellationToken.None);
        _logger.LogInformation("Plugin {Plugin} runs isolated in process {Pid} (heap limit {Limit} MiB)", _start.Name, process.Id, _heapLimitBytes >> 20);
        return child;
    }

    private async Task ReadAsync(Child child)
    {
        try
        {
            while (await PluginFrames.ReadAsync(child.Output, CancellationToken.None).ConfigureAwait(false) is { } message)
            {
                if (message.Op == "annotate" && message.Annotation is { } annotation) _annotations.Add(message.EventId, _start.Name, annotation);
                else if (child.Pending.TryRemove(message.Id, out var answer)) answer.TrySetResult(message);
            }
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or ObjectDisposedException)
        {
            _logger.LogWarning("Plugin {Plugin}: its process's answers cannot be read ({Error})", _start.Name, e.Message);
        }
        // stdout closed: the child is ending (or broke the protocol, and is ended).
        try { child.Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await child.Process.WaitForExitAsync().ConfigureAwait(false);
        var code = ExitCode(child.Process);
        foreach (var id in child.Pending.Keys)
            if (child.Pending.TryRemove(id, out var answer))
                answer.TrySetException(new RouterException(PluginErrorCodes.ProcessExited, $"the process of plugin {_start.Name} exited (code {code}) during the call"));
        Exited(child, code);
    }

    private void Exited(Child child, int code)
    {
        TimeSpan delay;
        lock (_gate)
        {
            if (_child != child) return;
            _child = null;
            if (_stopping) return;
            if (DateTimeOffset.UtcNow - child.Started > HealthyLife) _failuresInARow = 0;
            delay = Backoff(++_failuresInARow);
        }
        Interlocked.Increment(ref _restarts);
        _logger.LogWarning("Plugin {Plugin}: its process {Pid} exited with code {Code}; starting it again in {Delay} s (restart {Restarts})",
            _start.Name, child.Process.Id, code, delay.TotalSeconds, Restarts);
        _ = RestartAsync(delay);
    }

    private async Task RestartAsync(TimeSpan delay)
    {
        await Task.Delay(delay).ConfigureAwait(false);
        lock (_gate) if (_stopping) return;
        try
        {
            var child = await StartChildAsync(CancellationToken.None).ConfigureAwait(false);
            bool keep;
            lock (_gate) { keep = !_stopping; if (keep) _child = child; }
            if (!keep) await StopChildAsync(child).ConfigureAwait(false);
        }
        catch (RouterException e)
        {
            TimeSpan next;
            lock (_gate) next = Backoff(++_failuresInARow);
            _logger.LogError("Plugin {Plugin}: its process could not be started again ({Code}: {Reason}); next try in {Delay} s", _start.Name, e.Code, e.Reason, next.TotalSeconds);
            _ = RestartAsync(next);
        }
    }

    private static TimeSpan Backoff(int failures) => TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Max(0, failures - 1))));

    private static async Task StopChildAsync(Child child)
    {
        try { child.Input.Close(); } catch (IOException) { }
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await child.Process.WaitForExitAsync(wait.Token).ConfigureAwait(false); }
        catch (OperationCanceledException)
        {
            try { child.Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
    }

    private static int ExitCode(Process process)
    {
        try { return process.HasExited ? process.ExitCode : -1; }
        catch (InvalidOperationException) { return -1; }
    }

    /// <summary>The dotnet host running this process (tests run under testhost, whose path is not dotnet's).</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : "dotnet";

    private sealed class Child(Process process, DateTimeOffset started)
    {
        public Process Process { get; } = process;
        public DateTimeOffset Started { get; } = started;
        public Stream Input { get; } = process.StandardInput.BaseStream;
        public Stream Output { get; } = process.StandardOutput.BaseStream;
        public SemaphoreSlim WriteLock { get; } = new(1, 1);
        public ConcurrentDictionary<long, TaskCompletionSource<PluginMessage>> Pending { get; } = new();
        public Task? Reader { get; set; }
        public string Version { get; set; } = "";
        public string TypeName { get; set; } = "";
    }
}
