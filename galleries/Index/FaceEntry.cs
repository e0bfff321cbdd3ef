using Router.Abstractions;

namespace Router.Galleries.Index;

/// <summary>What the index keeps of a face besides its codes: meta (for filters) and features (for answers).</summary>
public sealed class FaceEntry
{
    private static readonly IReadOnlyDictionary<string, MetaValue> NoMeta = new Dictionary<string, MetaValue>();

    public FaceEntry(IReadOnlyDictionary<string, MetaValue> meta, FaceAttributes features)
    {
        Meta = meta;
        Features = features;
    }

    /// <summary>Shared by every face with no meta and no features, so large plain galleries cost no object per face.</summary>
    public static FaceEntry Empty { get; } = new(NoMeta, FaceAttributes.Empty);

    public IReadOnlyDictionary<string, MetaValue> Meta { get; }
    public FaceAttributes Features { get; }

    public static FaceEntry Create(IReadOnlyDictionary<string, MetaValue> meta, FaceAttributes features) =>
        meta.Count == 0 && features == FaceAttributes.Empty ? Empty : new FaceEntry(meta, features);
}
