namespace Router.Galleries.Storage;

/// <summary>
/// A store shared by several nodes that logs its changes, so that every node's in-memory index
/// follows the writes of the others: a change log with sequence numbers in commit order, a wake-up
/// when a change commits, and reads of the current state of what changed.
/// </summary>
public interface IGalleryChangeFeed
{
    /// <summary>The latest sequence number, and the highest one already trimmed from the log (a follower behind it must reload).</summary>
    Task<(long Latest, long Trimmed)> ChangePositionAsync(CancellationToken ct);

    /// <summary>Changes after <paramref name="after"/> in order, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<GalleryChange>> ReadChangesAsync(long after, int max, CancellationToken ct);

    /// <summary>Completes when a change may have committed (a notification), or at the latest after <paramref name="timeout"/>.</summary>
    Task WaitForChangeAsync(TimeSpan timeout, CancellationToken ct);

    /// <summary>A face as stored now, or null when it does not exist.</summary>
    Task<StoredFace?> ReadFaceAsync(string gallery, long id, CancellationToken ct);

    /// <summary>Removes log entries older than <paramref name="age"/>.</summary>
    Task TrimChangesAsync(TimeSpan age, CancellationToken ct);
}
