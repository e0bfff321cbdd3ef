using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Router.Galleries.Index;
using Router.Galleries.Storage;

namespace Router.Galleries.Engine;

/// <summary>How the engine's indexes were loaded at start (diagnostics and tests).</summary>
/// <param name="Source">"snapshot" (read from the snapshot file) or "store" (rebuilt from every stored face).</param>
/// <param name="Reason">Why the snapshot was or was not used ("current", "no snapshot", "stale: ...", "damaged: ...", "not supported by this store").</param>
public sealed record IndexLoadInfo(string Source, string Reason, long Faces, double Seconds);

/// <summary>
/// Index snapshots (stores that implement <see cref="IIndexSnapshotStore"/>: SQLite): at start the
/// indexes are read from the snapshot when it mirrors the store's current <see cref="IndexVersion"/>
/// exactly, and rebuilt from the store otherwise (then a fresh snapshot is written in the
/// background). The snapshot is written again when the engine is disposed (a clean shutdown),
/// unless nothing changed since it was last written or read, and whenever
/// <see cref="SaveIndexSnapshotAsync"/> is called; never when the store was changed by anyone but
/// this engine since start, since the indexes then do not mirror it.
/// </summary>
public sealed partial class GalleryEngine
{
    private IndexVersion? _snapshotVersion;
    private Task _snapshotWrite = Task.CompletedTask;

    /// <summary>How the indexes were loaded at start; null before the start finished.</summary>
    public IndexLoadInfo? LastIndexLoad { get; private set; }

    /// <summary>
    /// Whether this engine writes index snapshots (default true). A caller that changes an index
    /// directly (<see cref="GetIndexAsync"/>: benchmarks) makes it differ from the store and must
    /// turn this off first.
    /// </summary>
    public bool WritesIndexSnapshots { get; set; } = true;

    /// <summary>The snapshot write that follows a rebuild at start (completed when there is none).</summary>
    public Task PendingIndexSnapshot => _snapshotWrite;

    /// <summary>Reads the snapshot when it mirrors <paramref name="version"/>; null (and a log line why) otherwise.</summary>
    private async Task<Dictionary<string, GalleryIndex>?> ReadSnapshotAsync(IIndexSnapshotStore store, IndexVersion version, Action<string> reason)
    {
        var watch = Stopwatch.StartNew();
        var (indexes, why) = await Task.Run(() => IndexSnapshotFile.TryRead(store.SnapshotPath, version)).ConfigureAwait(false);
        reason(why);
        if (indexes is null)
            _log.LogInformation("Index snapshot {Path} not used ({Reason}): rebuilding the indexes from the store", store.SnapshotPath, why);
        else
            _log.LogInformation("Index snapshot {Path} loaded: {Galleries} galleries, {Faces} faces in {Seconds:F2} s",
                store.SnapshotPath, indexes.Count, indexes.Values.Sum(i => (long)i.Count), watch.Elapsed.TotalSeconds);
        return indexes;
    }

    /// <summary>
    /// Writes the snapshot of every gallery now (holding writes back meanwhile); false when this
    /// store keeps none, snapshots are off, the store was changed by someone else since start, or
    /// the write failed (logged).
    /// </summary>
    public async Task<bool> SaveIndexSnapshotAsync(CancellationToken ct = default)
    {
        if (_store is not IIndexSnapshotStore store) return false;
        await Started(ct).ConfigureAwait(false);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try { return SaveSnapshotLocked(store, onlyIfChanged: false); }
        finally { _writeGate.Release(); }
    }

    /// <summary>Under the write gate, so the indexes and the store's version agree.</summary>
    private bool SaveSnapshotLocked(IIndexSnapshotStore store, bool onlyIfChanged)
    {
        if (!WritesIndexSnapshots) return false;
        if (store.KnownVersion is not { } version)
        {
            _log.LogWarning("Index snapshot {Path} not written: the store was changed by another process since start, so the indexes do not mirror it (the next start rebuilds them)",
                store.SnapshotPath);
            return false;
        }
        if (onlyIfChanged && version == _snapshotVersion) return true;
        var watch = Stopwatch.StartNew();
        try
        {
            long bytes = IndexSnapshotFile.Write(store.SnapshotPath, version, _galleries.Values.ToList());
            _snapshotVersion = version;
            _log.LogInformation("Index snapshot {Path} written: {Galleries} galleries, {Faces} faces, {Megabytes:F1} MB in {Seconds:F2} s",
                store.SnapshotPath, _galleries.Count, _galleries.Values.Sum(i => (long)i.Count), bytes / 1e6, watch.Elapsed.TotalSeconds);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.LogWarning(e, "Index snapshot {Path} not written (the next start rebuilds the indexes from the store)", store.SnapshotPath);
            try { File.Delete(IndexSnapshotFile.TempPath(store.SnapshotPath)); }
            catch (Exception d) when (d is IOException or UnauthorizedAccessException) { }
            return false;
        }
    }

    /// <summary>After a rebuild at start: the snapshot, in the background (writes wait for it, reads do not).</summary>
    private void SaveSnapshotInBackground(IIndexSnapshotStore store) =>
        _snapshotWrite = Task.Run(async () =>
        {
            await _writeGate.WaitAsync().ConfigureAwait(false);
            try { SaveSnapshotLocked(store, onlyIfChanged: true); }
            finally { _writeGate.Release(); }
        });

    /// <summary>At dispose: the snapshot when anything changed since it was written or read.</summary>
    private async Task SaveSnapshotAtDisposeAsync()
    {
        try { await _snapshotWrite.ConfigureAwait(false); }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _log.LogWarning(e, "The background index snapshot failed");
        }
        if (_store is not IIndexSnapshotStore store || _start is not { IsCompletedSuccessfully: true }) return;
        await _writeGate.WaitAsync().ConfigureAwait(false);
        // Whatever goes wrong here, the store is still closed after it (DisposeAsync).
        try { SaveSnapshotLocked(store, onlyIfChanged: true); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.LogWarning(e, "Index snapshot {Path} not written at shutdown (the next start rebuilds the indexes from the store)", store.SnapshotPath);
        }
        finally { _writeGate.Release(); }
    }
}
