using Router.Abstractions;

namespace Router.Galleries.Index;

/// <summary>What the index keeps of a face besides its codes: meta (for filters), features (for answers) and its subject.</summary>
public sealed class FaceEntry
{
    private static readonly IReadOnlyDictionary<string, MetaValue> NoMeta = new Dictionary<string, MetaValue>();

    public FaceEntry(IReadOnlyDictionary<string, MetaValue> meta, FaceAttributes features, string? subject = null)
    {
        Meta = meta;
        Features = features;
        Subject = subject;
    }

    /// <summary>Shared by every face with no meta, features or subject, so large plain galleries cost no object per face.</summary>
    public static FaceEntry Empty { get; } = new(NoMeta, FaceAttributes.Empty);

    public IReadOnlyDictionary<string, MetaValue> Meta { get; }
    public FaceAttributes Features { get; }
    public string? Subject { get; }

    public static FaceEntry Create(IReadOnlyDictionary<string, MetaValue> meta, FaceAttributes features, string? subject = null) =>
        meta.Count == 0 && features == FaceAttributes.Empty && subject is null ? Empty : new FaceEntry(meta, features, subject);

    public FaceEntry WithSubject(string? subject) => Create(Meta, Features, subject);
}
