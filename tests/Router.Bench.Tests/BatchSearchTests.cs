using System.Numerics.Tensors;
using Router.Galleries.Index;
using Router.Tests.Common;
using Xunit;

namespace Router.Bench.Tests;

/// <summary>
/// The benchmarks' shared batch scan (<see cref="BatchSearch"/>) against the single dot product and
/// the exact float cosine it approximates.
/// </summary>
public class BatchSearchTests
{
    [Fact]
    public void Four_query_kernel_equals_four_single_dots()
    {
        var rng = new Random(3);
        var row = new sbyte[512];
        var queries = new sbyte[4 * 512];
        for (int i = 0; i < row.Length; i++) row[i] = (sbyte)rng.Next(-127, 128);
        for (int i = 0; i < queries.Length; i++) queries[i] = (sbyte)rng.Next(-127, 128);
        Span<int> sums = stackalloc int[4];
        BatchSearch.Dot4(ref row[0], ref queries[0], 512, sums);
        for (int q = 0; q < 4; q++) Assert.Equal(Int8Dot.Dot(ref row[0], ref queries[q * 512], 512), sums[q]);
    }

    [Fact]
    public void Batch_search_finds_each_querys_own_identity_first()
    {
        var rng = new Random(4);
        var index = new GalleryIndex("batch");
        var centers = Enumerable.Range(0, 300).Select(_ => TestVectors.Random(rng)).ToArray();
        for (int i = 0; i < centers.Length; i++)
            for (int s = 0; s < 3; s++)
                index.Upsert(i * 10 + s, TestVectors.Near(centers[i], 0.7, rng), FaceEntry.Empty);
        const int count = 7, k = 3; // 7: one block of four and three single queries
        var queries = new float[count * 512];
        for (int q = 0; q < count; q++) TestVectors.Near(centers[q * 40], 0.7, rng).CopyTo(queries, q * 512);
        var ids = new long[count * k];
        var scores = new float[count * k];
        BatchSearch.Search(index, queries, k, ids, scores);
        for (int q = 0; q < count; q++)
        {
            Assert.All(ids.Skip(q * k).Take(k), id => Assert.Equal(q * 40, id / 10));
            Assert.True(scores[q * k] >= scores[q * k + 1] && scores[q * k + 1] >= scores[q * k + 2]);
        }
    }

    [Fact]
    public void Batch_search_gives_the_exact_top_k_within_the_quantisation_margin()
    {
        var rng = new Random(6);
        var index = new GalleryIndex("exact");
        var vectors = new Dictionary<long, float[]>();
        for (int i = 0; i < 2000; i++)
        {
            vectors[i + 1] = TestVectors.Random(rng);
            index.Upsert(i + 1, vectors[i + 1], FaceEntry.Empty);
        }
        const int count = 9, k = 5; // two blocks of four and one single query
        var queries = new float[count * 512];
        // Each query near one stored face, so that its top k is led by a clear first.
        for (int q = 0; q < count; q++) TestVectors.Near(vectors[q * 100 + 1], 0.8, rng).CopyTo(queries, q * 512);
        var ids = new long[count * k];
        var scores = new float[count * k];
        BatchSearch.Search(index, queries, k, ids, scores);
        for (int q = 0; q < count; q++)
        {
            var query = queries.AsSpan(q * 512, 512).ToArray();
            var exact = vectors.Select(v => (Id: v.Key, Score: TensorPrimitives.Dot(query, v.Value))).OrderByDescending(x => x.Score).ToArray();
            Assert.Equal(exact[0].Id, ids[q * k]);
            for (int r = 0; r < k; r++)
            {
                float cosine = TensorPrimitives.Dot(query, vectors[ids[q * k + r]]);
                Assert.True(Math.Abs(scores[q * k + r] - cosine) < GalleryIndex.ApproxMargin, $"query {q} rank {r}: {scores[q * k + r]} vs exact {cosine}");
                // Whatever the batch ranks r-th is no worse than the exact r-th face by more than the margin.
                Assert.True(cosine >= exact[r].Score - 2 * GalleryIndex.ApproxMargin, $"query {q} rank {r}: {cosine} vs exact {exact[r].Score}");
            }
        }
    }

    [Fact]
    public void Fewer_faces_than_k_leave_empty_places()
    {
        var rng = new Random(7);
        var index = new GalleryIndex("small");
        index.Upsert(1, TestVectors.Random(rng), FaceEntry.Empty);
        index.Upsert(2, TestVectors.Random(rng), FaceEntry.Empty);
        var queries = TestVectors.Random(rng);
        var ids = new long[4];
        var scores = new float[4];
        BatchSearch.Search(index, queries, 4, ids, scores);
        Assert.Equal([1L, 2L], ids.Take(2).Order());
        Assert.Equal([-1L, -1L], ids.Skip(2));
        Assert.All(scores.Skip(2), s => Assert.Equal(float.NegativeInfinity, s));
    }
}
