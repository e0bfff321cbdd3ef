using Router.Abstractions;
using Router.Galleries.Index;
using Router.Galleries.Query;
using Router.Tests.Common;
using Xunit;

namespace Router.Galleries.Tests;

/// <summary>
/// Face entries live in 65,536-face chunks that exist only where a face has meta, features or a
/// subject. An entry must follow its face when a delete moves the face into a chunk that has none,
/// and every reader (lookups, subject counts, predicates, scans with filters) must see it.
/// </summary>
public class GalleryIndexEntryChunkTests
{
    private const int Faces = 70_000; // two chunks

    [Fact]
    public void An_entry_moved_into_a_chunk_without_entries_stays_with_its_face()
    {
        var rng = new Random(11);
        var index = new GalleryIndex("entries");
        var vectors = new float[Faces][];
        for (int i = 0; i < Faces; i++)
        {
            vectors[i] = TestVectors.Random(rng);
            index.Upsert(i + 1, vectors[i], FaceEntry.Empty);
        }
        var described = FaceEntry.Create(new Dictionary<string, MetaValue> { ["cam"] = "door" }, FaceAttributes.Empty, "alice");
        Assert.True(index.UpdateEntry(Faces, described)); // the last face, in the second chunk

        Assert.True(index.Remove(5)); // the last face moves into slot 4, in the first chunk

        Assert.True(index.TryGet(Faces, out var entry));
        Assert.Same(described, entry);
        Assert.True(index.TryGet(6, out var plain));
        Assert.Same(FaceEntry.Empty, plain);
        Assert.Equal(new Dictionary<string, int> { ["alice"] = 1 }, index.CountBySubject());
        Assert.Equal([Faces], index.IdsWhere(e => e.Subject == "alice"));

        using var heap = new CandidateHeap(ListOrder.ConfidenceDescending, 10);
        index.Scan(new ListPlan
        {
            Query = vectors[Faces - 1], Threshold = 0, Order = ListOrder.ConfidenceDescending, Limit = 10,
            Meta = [new MetaCondition((MetaFilter)Filters.Meta("cam").OneOf("door"))], Subjects = new HashSet<string> { "alice" },
        }, heap);
        var found = Assert.Single(heap.Items.ToArray());
        Assert.Equal(Faces, found.Id);
        Assert.Same(described, found.Entry);

        // Back to no entry: the face reads as plain again.
        Assert.True(index.UpdateEntry(Faces, FaceEntry.Empty));
        Assert.Empty(index.CountBySubject());
        Assert.True(index.TryGet(Faces, out var cleared));
        Assert.Same(FaceEntry.Empty, cleared);
    }

    [Fact]
    public void A_snapshot_keeps_entries_in_either_chunk_and_none_where_there_were_none()
    {
        var rng = new Random(12);
        var index = new GalleryIndex("entries");
        for (int i = 0; i < Faces; i++)
            index.Upsert(i + 1, TestVectors.Random(rng), i == 66_000 ? FaceEntry.Create(new Dictionary<string, MetaValue>(), FaceAttributes.Empty, "bob") : FaceEntry.Empty);

        using var file = new MemoryStream();
        using (var writer = new BinaryWriter(file, System.Text.Encoding.UTF8, leaveOpen: true)) index.WriteSnapshot(file, writer);
        file.Position = 0;
        using var reader = new BinaryReader(file);
        var loaded = GalleryIndex.ReadSnapshot(file, reader, () => file.Length - file.Position);

        Assert.Equal(Faces, loaded.Count);
        Assert.Equal(new Dictionary<string, int> { ["bob"] = 1 }, loaded.CountBySubject());
        Assert.Equal([66_001], loaded.IdsWhere(e => e.Subject is not null));
        Assert.True(loaded.TryGet(1, out var first));
        Assert.Same(FaceEntry.Empty, first);
    }
}
