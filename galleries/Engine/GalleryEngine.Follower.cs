using Microsoft.Extensions.Logging;
using Router.Galleries.Index;
using Router.Galleries.Storage;
using Router.Galleries.Subjects;

namespace Router.Galleries.Engine;

/// <summary>
/// Following a store shared by several nodes (<see cref="IGalleryChangeFeed"/>): after the start-up
/// load, the writes of every node arrive through the change log (woken by a notification, polled
/// every second at the latest) and are applied to this node's index by reading the current state of
/// what changed, so a node converges on the store: a deleted face is absent there and so never comes
/// back. A node that fell behind the log's retention reloads everything.
/// </summary>
public sealed partial class GalleryEngine
{
    public static readonly TimeSpan FollowPoll = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stopFollowing = new();
    private Task? _follower;
    private long _followed;
    private long _changesApplied;

    /// <summary>The last change of the shared store applied here (0 when not following).</summary>
    public long FollowedChange => Interlocked.Read(ref _followed);

    /// <summary>Changes applied from the shared store since start.</summary>
    public long ChangesApplied => Interlocked.Read(ref _changesApplied);

    private async Task<long?> FollowPositionAsync(CancellationToken ct) =>
        _followChanges && _store is IGalleryChangeFeed feed ? (await feed.ChangePositionAsync(ct).ConfigureAwait(false)).Latest : null;

    private void StartFollowing(long position)
    {
        Interlocked.Exchange(ref _followed, position);
        _follower = Task.Run(() => FollowAsync((IGalleryChangeFeed)_store, _stopFollowing.Token));
    }

    private async Task FollowAsync(IGalleryChangeFeed feed, CancellationToken ct)
    {
        var lastTrim = DateTimeOffset.UtcNow;
        bool failing = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await feed.WaitForChangeAsync(FollowPoll, ct).ConfigureAwait(false);
                var (_, trimmed) = await feed.ChangePositionAsync(ct).ConfigureAwait(false);
                if (FollowedChange < trimmed)
                {
                    _log.LogWarning("Gallery changes up to {Trimmed} were trimmed before this node read them (it had {Followed}): reloading every gallery",
                        trimmed, FollowedChange);
                    await ReloadAllAsync(feed, ct).ConfigureAwait(false);
                }
                IReadOnlyList<GalleryChange> changes;
                while ((changes = await feed.ReadChangesAsync(FollowedChange, 10_000, ct).ConfigureAwait(false)).Count > 0)
                {
                    await ApplyAsync(feed, changes, ct).ConfigureAwait(false);
                    Interlocked.Exchange(ref _followed, changes[^1].Seq);
                    Interlocked.Add(ref _changesApplied, changes.Count);
                }
                if (DateTimeOffset.UtcNow - lastTrim > TimeSpan.FromMinutes(1))
                {
                    await feed.TrimChangesAsync(PostgresGalleryStore.ChangeRetention, ct).ConfigureAwait(false);
                    lastTrim = DateTimeOffset.UtcNow;
                }
                if (failing) _log.LogInformation("Following gallery changes again (at {Seq})", FollowedChange);
                failing = false;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                // Logged once per outage, not once a second; the index keeps serving what it holds.
                if (!failing) _log.LogWarning(e, "Following gallery changes failed; retrying every {Seconds} s", FollowPoll.TotalSeconds);
                failing = true;
                try { await Task.Delay(FollowPoll, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task ApplyAsync(IGalleryChangeFeed feed, IReadOnlyList<GalleryChange> changes, CancellationToken ct)
    {
        var reload = changes.Where(c => c.Kind == GalleryChangeKind.Gallery).Select(c => c.Gallery).ToHashSet(StringComparer.Ordinal);
        var subjects = changes.Where(c => c.Kind == GalleryChangeKind.Subjects && !reload.Contains(c.Gallery)).Select(c => c.Gallery).ToHashSet(StringComparer.Ordinal);
        var faces = changes.Where(c => c.Kind == GalleryChangeKind.Face && !reload.Contains(c.Gallery)).Select(c => (c.Gallery, c.Id)).Distinct().ToList();
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (reload.Count > 0)
            {
                var existing = (await _store.ListGalleriesAsync(ct).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
                foreach (var gallery in reload)
                {
                    if (existing.Contains(gallery)) await LoadGalleryAsync(gallery, ct).ConfigureAwait(false);
                    else { _galleries.TryRemove(gallery, out _); _subjects.TryRemove(gallery, out _); }
                }
            }
            foreach (var (gallery, id) in faces)
            {
                if (!_galleries.TryGetValue(gallery, out var index) || !_subjects.TryGetValue(gallery, out var registry)) continue;
                var stored = await feed.ReadFaceAsync(gallery, id, ct).ConfigureAwait(false);
                index.TryGet(id, out var old);
                bool had = index.Contains(id);
                if (stored is null)
                {
                    if (had && index.Remove(id) && old.Subject is not null) registry.RemoveFace(old.Subject);
                    continue;
                }
                var entry = FaceEntry.Create(FaceJson.ParseMeta(stored.MetaJson), FaceJson.ParseFeatures(stored.FeaturesJson), stored.Subject);
                index.Upsert(id, FaceJson.Vector(stored.Vector), entry);
                if (had && old.Subject is not null) registry.RemoveFace(old.Subject);
                if (entry.Subject is not null) registry.AddFace(entry.Subject);
            }
            foreach (var gallery in subjects)
                if (_galleries.TryGetValue(gallery, out var index)) _subjects[gallery] = await LoadSubjectsAsync(gallery, index, ct).ConfigureAwait(false);
        }
        finally { _writeGate.Release(); }
    }

    private async Task ReloadAllAsync(IGalleryChangeFeed feed, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var position = (await feed.ChangePositionAsync(ct).ConfigureAwait(false)).Latest;
            var names = (await _store.ListGalleriesAsync(ct).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _galleries.Keys.Where(g => !names.Contains(g)).ToList()) { _galleries.TryRemove(gone, out _); _subjects.TryRemove(gone, out _); }
            foreach (var name in names) await LoadGalleryAsync(name, ct).ConfigureAwait(false);
            Interlocked.Exchange(ref _followed, position);
        }
        finally { _writeGate.Release(); }
    }

    /// <summary>The subjects of a gallery as stored, with face counts from its index.</summary>
    private async Task<SubjectRegistry> LoadSubjectsAsync(string gallery, GalleryIndex index, CancellationToken ct)
    {
        var registry = new SubjectRegistry();
        foreach (var subject in await _store.ListSubjectsAsync(gallery, ct).ConfigureAwait(false)) registry.Ensure(subject);
        foreach (var (subject, faces) in index.CountBySubject()) registry.AddFace(subject, faces);
        await foreach (var n in _store.ReadNegativesAsync(gallery, ct).ConfigureAwait(false))
            registry.AddNegative(n.Subject, new NegativeVector(n.Id, FaceJson.Vector(n.Vector).ToArray(), n.Source, n.CreatedMs));
        return registry;
    }

    private async Task StopFollowingAsync()
    {
        _stopFollowing.Cancel();
        if (_follower is not null) await _follower.ConfigureAwait(false);
    }
}
