using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Router.Galleries.Index;
using Router.Galleries.Storage;

namespace Router.Galleries.Engine;

/// <summary>How the engine's indexes were loaded at start (diagnostics and tests).</summary>
/// <param name="Source">"snapshot" (read from the snapshot file, brought up to date from the store's change log when it was older) or "store" (rebuilt from every stored face).</param>
/// <param name="Reason">Why the snapshot was or was not used ("current", "caught up: ...", "no snapshot", "stale: ...", "damaged: ...", "not supported by this store").</param>
public sealed record IndexLoadInfo(string Source, string Reason, long Faces, double Seconds);

/// <summary>
/// Index snapshots (stores that implement <see cref="IIndexSnapshotStore"/>: SQLite): at start the
/// indexes are read from the snapshot when it mirrors the store's current <see cref="IndexVersion"/>
/// exactly, or when it is older and the store's change log holds every change since (a crash, or
/// another process's writes): then the faces those changes touched are read again and applied.
/// Otherwise the indexes are rebuilt from the store. After a catch-up or a rebuild a fresh snapshot
/// is written in the background. The snapshot is written again every
/// <see cref="IndexSnapshotInterval"/> when anything changed, when the engine is disposed (a clean
/// shutdown) and whenever <see cref="SaveIndexSnapshotAsync"/> is called; never when the store was
/// changed by anyone but this engine since start, since the indexes then do not mirror it. Each
/// snapshot written trims the change log up to its version.
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

    /// <summary>
    /// How often a snapshot is written while the engine runs, when anything changed since the last
    /// one (zero or negative: only at shutdown). It bounds what a crash leaves to replay from the
    /// change log at the next start; each write holds gallery writes back for as long as it takes
    /// (README: about 3.5 s at 10 M faces, 0.2 s at 1 M). Set before <see cref="StartAsync"/>.
    /// </summary>
    public TimeSpan IndexSnapshotInterval { get; set; } = DefaultIndexSnapshotInterval;

    public static readonly TimeSpan DefaultIndexSnapshotInterval = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The most changes a start replays from the change log onto an older snapshot, as a share of
    /// the snapshot's faces (at least <see cref="MinCatchUpChanges"/>); beyond it the store is rebuilt.
    /// Measured (`bench search --faces 1000000 --crash-changes 250000`, load 3.8): 250,000 changes
    /// replayed in about 2.0 s, a rebuild of 1 M faces 7.5 s, so a face costs about the same either
    /// way and the break-even lies near the whole gallery. Half keeps the catch-up at least twice as
    /// fast where the replay's reads, face by face, cost more than the rebuild's in order (a store
    /// larger than the page cache).
    /// </summary>
    public const double MaxCatchUpShare = 0.5;

    public const long MinCatchUpChanges = 100_000;

    private CancellationTokenSource? _snapshotTimer;
    private Task _snapshotLoop = Task.CompletedTask;

    /// <summary>
    /// Reads the snapshot when it mirrors <paramref name="version"/>, or when it is older and the store's
    /// change log bridges the gap (then brought up to date); null (and a log line why) otherwise.
    /// </summary>
    private async Task<(Dictionary<string, GalleryIndex>? Indexes, bool CaughtUp)> ReadSnapshotAsync(IIndexSnapshotStore store, IndexVersion version,
        Action<string> reason, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var header = IndexSnapshotFile.ReadHeader(store.SnapshotPath);
        long? changes = null;
        if (header is { } h && h.Version != version)
        {
            changes = await store.CountIndexChangesAsync(h.Version, version, ct).ConfigureAwait(false);
            if (changes > Math.Max(MinCatchUpChanges, (long)(h.Faces * MaxCatchUpShare))) changes = null;
        }
        var expected = changes is null ? version : header!.Value.Version;
        var (indexes, why) = await Task.Run(() => IndexSnapshotFile.TryRead(store.SnapshotPath, expected), ct).ConfigureAwait(false);
        if (indexes is not null && changes is { } n)
        {
            long touched = await CatchUpAsync(store, indexes, expected, version, ct).ConfigureAwait(false);
            why = $"caught up: {n} changes ({touched} faces) after {expected} replayed from the store's change log";
            _snapshotVersion = expected;
        }
        else if (indexes is not null) _snapshotVersion = version;
        else if (header is not null && why.StartsWith("stale", StringComparison.Ordinal))
            why += "; the store's change log does not reach back to it, or holds more changes than a rebuild costs";
        reason(why);
        if (indexes is null)
            _log.LogInformation("Index snapshot {Path} not used ({Reason}): rebuilding the indexes from the store", store.SnapshotPath, why);
        else
            _log.LogInformation("Index snapshot {Path} loaded ({Reason}): {Galleries} galleries, {Faces} faces in {Seconds:F2} s",
                store.SnapshotPath, why, indexes.Count, indexes.Values.Sum(i => (long)i.Count), watch.Elapsed.TotalSeconds);
        return (indexes, changes is not null && indexes is not null);
    }

    /// <summary>Applies the faces the changes after <paramref name="from"/> touched, as stored now; returns how many.</summary>
    private static async Task<long> CatchUpAsync(IIndexSnapshotStore store, Dictionary<string, GalleryIndex> indexes, IndexVersion from, IndexVersion to,
        CancellationToken ct)
    {
        long touched = 0;
        var batches = new Dictionary<string, List<StoredFace>>(StringComparer.Ordinal);
        await foreach (var change in store.ReadIndexChangesAsync(from, to, ct).ConfigureAwait(false))
        {
            touched++;
            if (!indexes.TryGetValue(change.Gallery, out var index)) indexes[change.Gallery] = index = new GalleryIndex(change.Gallery);
            // Each face comes once, so removals and the batched upserts of others never reorder one face's history.
            if (change.Face is null) { index.Remove(change.Id); continue; }
            if (!batches.TryGetValue(change.Gallery, out var batch)) batches[change.Gallery] = batch = new List<StoredFace>(LoadBatch);
            batch.Add(change.Face);
            if (batch.Count < LoadBatch) continue;
            AddLoaded(index, batch);
            batch.Clear();
        }
        foreach (var (gallery, batch) in batches) AddLoaded(indexes[gallery], batch);
        return touched;
    }

    /// <summary>While the engine runs: a snapshot every <see cref="IndexSnapshotInterval"/> when anything changed.</summary>
    private void StartSnapshotLoop(IIndexSnapshotStore store)
    {
        if (IndexSnapshotInterval <= TimeSpan.Zero || !WritesIndexSnapshots) return;
        _snapshotTimer = new CancellationTokenSource();
        var ct = _snapshotTimer.Token;
        _snapshotLoop = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(IndexSnapshotInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                {
                    try { await _snapshotWrite.ConfigureAwait(false); }
                    catch (Exception e) when (e is not OperationCanceledException) { }
                    IndexVersion? written = null;
                    await _writeGate.WaitAsync(ct).ConfigureAwait(false);
                    try { if (SaveSnapshotLocked(store, onlyIfChanged: true)) written = _snapshotVersion; }
                    finally { _writeGate.Release(); }
                    await TrimChangeLogAsync(store, written).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            catch (Exception e)
            {
                _log.LogWarning(e, "The periodic index snapshot stopped (snapshots are still written at shutdown)");
            }
        }, CancellationToken.None);
    }

    private async Task StopSnapshotLoopAsync()
    {
        if (_snapshotTimer is null) return;
        await _snapshotTimer.CancelAsync().ConfigureAwait(false);
        await _snapshotLoop.ConfigureAwait(false);
        _snapshotTimer.Dispose();
        _snapshotTimer = null;
    }

    /// <summary>After a snapshot as of <paramref name="written"/>: the change log up to it is no longer needed.</summary>
    private async Task TrimChangeLogAsync(IIndexSnapshotStore store, IndexVersion? written)
    {
        if (written is not { } version) return;
        try { await store.TrimIndexChangesAsync(version, CancellationToken.None).ConfigureAwait(false); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A longer log costs disk, not correctness: the next snapshot trims it.
            _log.LogWarning(e, "The store's index change log was not trimmed after the snapshot");
        }
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
        bool written;
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try { written = SaveSnapshotLocked(store, onlyIfChanged: false); }
        finally { _writeGate.Release(); }
        if (written) await TrimChangeLogAsync(store, _snapshotVersion).ConfigureAwait(false);
        return written;
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

    /// <summary>After a rebuild or a catch-up at start: the snapshot, in the background (writes wait for it, reads do not).</summary>
    private void SaveSnapshotInBackground(IIndexSnapshotStore store) =>
        _snapshotWrite = Task.Run(async () =>
        {
            bool written;
            await _writeGate.WaitAsync().ConfigureAwait(false);
            try { written = SaveSnapshotLocked(store, onlyIfChanged: true); }
            finally { _writeGate.Release(); }
            if (written) await TrimChangeLogAsync(store, _snapshotVersion).ConfigureAwait(false);
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
        bool written = false;
        await _writeGate.WaitAsync().ConfigureAwait(false);
        // Whatever goes wrong here, the store is still closed after it (DisposeAsync).
        try { written = SaveSnapshotLocked(store, onlyIfChanged: true); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.LogWarning(e, "Index snapshot {Path} not written at shutdown (the next start rebuilds the indexes from the store)", store.SnapshotPath);
        }
        finally { _writeGate.Release(); }
        if (written) await TrimChangeLogAsync(store, _snapshotVersion).ConfigureAwait(false);
    }
}
