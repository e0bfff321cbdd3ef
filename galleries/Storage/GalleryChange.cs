namespace Router.Galleries.Storage;

/// <summary>What a change of the shared store touched, for the nodes that follow it.</summary>
public enum GalleryChangeKind
{
    /// <summary>A face was added, updated, moved between subjects or deleted: read it again (absent = deleted).</summary>
    Face,
    /// <summary>Subjects or negative examples changed: read the gallery's subjects and negatives again.</summary>
    Subjects,
    /// <summary>The gallery was created or dropped, or many of its faces changed at once: load it again.</summary>
    Gallery,
}

/// <summary>One entry of the store's change log: its sequence number, the gallery, what changed and, for a face, its id.</summary>
public readonly record struct GalleryChange(long Seq, string Gallery, GalleryChangeKind Kind, long Id);
