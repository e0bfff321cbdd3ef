namespace Router.Galleries.Storage;

/// <summary>
/// The state of a store's faces as far as the index is concerned: <see cref="Changes"/> counts
/// every insert, update and delete of a face row (kept by the store itself, triggers in SQLite),
/// and <see cref="Token"/> is a random number drawn again at each of those changes, so that two
/// histories reaching the same count (a restored backup written on afterwards) still differ.
/// </summary>
public readonly record struct IndexVersion(long Changes, long Token)
{
    public override string ToString() => $"{Changes}/{Token:x16}";
}

/// <summary>
/// A store whose index can be saved beside it as a snapshot (<c>Router.Galleries.Index.IndexSnapshotFile</c>)
/// and loaded from it at start instead of re-reading and re-quantising every face. SQLite only:
/// PostgreSQL galleries are shared by nodes whose indexes follow the change log.
/// </summary>
public interface IIndexSnapshotStore
{
    /// <summary>Where the snapshot file lives (beside the database).</summary>
    string SnapshotPath { get; }

    /// <summary>
    /// The store's current <see cref="IndexVersion"/>, read from the store; it also becomes
    /// <see cref="KnownVersion"/>, which this store object then advances with each of its own writes.
    /// </summary>
    Task<IndexVersion> ReadIndexVersionAsync(CancellationToken ct);

    /// <summary>
    /// The version the store is at after this object's own writes since the last
    /// <see cref="ReadIndexVersionAsync"/>; null when none was read yet or when a write found the
    /// store changed by someone else (another process), so that an index kept in step with this
    /// object's writes no longer mirrors the store and must not be saved as of any version.
    /// </summary>
    IndexVersion? KnownVersion { get; }

    /// <summary>
    /// How many changes the store's change log holds after <paramref name="from"/> up to
    /// <paramref name="to"/>, when it holds all of them and they continue the history
    /// <paramref name="from"/> was taken from; null otherwise (trimmed, another history, nothing newer).
    /// </summary>
    Task<long?> CountIndexChangesAsync(IndexVersion from, IndexVersion to, CancellationToken ct);

    /// <summary>Every face the changes after <paramref name="from"/> up to <paramref name="to"/> touched, once, as it is now.</summary>
    IAsyncEnumerable<IndexChange> ReadIndexChangesAsync(IndexVersion from, IndexVersion to, CancellationToken ct);

    /// <summary>Forgets the changes up to <paramref name="upTo"/> (a snapshot as of it was written).</summary>
    Task TrimIndexChangesAsync(IndexVersion upTo, CancellationToken ct);
}

/// <summary>A face a change touched: <see cref="Face"/> as stored now, or null when it no longer is.</summary>
public sealed record IndexChange(string Gallery, long Id, StoredFace? Face);
