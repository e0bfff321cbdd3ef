using Router.Galleries.Index;
using Router.Tests.Common;
using Xunit;

namespace Router.Galleries.Tests;

/// <summary><see cref="GalleryIndex.ReadCodes"/>: every face once, in chunks, with its id, scale and the codes of its vector.</summary>
public class GalleryIndexCodesTests
{
    [Fact]
    public void Read_codes_give_every_face_with_its_own_codes_across_chunks()
    {
        var rng = new Random(5);
        var index = new GalleryIndex("codes");
        const int faces = 70_000; // more than one 65,536-face chunk
        var vectors = new float[faces][];
        for (int i = 0; i < faces; i++)
        {
            vectors[i] = TestVectors.Random(rng);
            index.Upsert(1000 + i, vectors[i], FaceEntry.Empty);
        }
        index.Remove(1000 + 7); // the last face moves into the freed slot
        var seen = new HashSet<long>();
        var chunks = new List<int>();
        var expected = new sbyte[512];
        int mismatches = 0;
        index.ReadCodes((codes, scales, ids) =>
        {
            Assert.Equal(ids.Length * 512, codes.Length);
            Assert.Equal(ids.Length, scales.Length);
            chunks.Add(ids.Length);
            for (int f = 0; f < ids.Length; f++)
            {
                Assert.True(seen.Add(ids[f]), $"face {ids[f]} read twice");
                float scale = Int8Quantizer.Quantize(vectors[ids[f] - 1000], expected);
                if (scale != scales[f] || !codes.Slice(f * 512, 512).SequenceEqual(expected)) mismatches++;
            }
        });
        Assert.Equal([65_536, faces - 1 - 65_536], chunks);
        Assert.Equal(faces - 1, seen.Count);
        Assert.DoesNotContain(1000L + 7, seen);
        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void An_empty_index_reads_no_chunk()
    {
        int calls = 0;
        new GalleryIndex("empty").ReadCodes((_, _, _) => calls++);
        Assert.Equal(0, calls);
    }
}
