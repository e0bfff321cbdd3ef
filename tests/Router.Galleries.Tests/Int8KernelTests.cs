using System.Numerics.Tensors;
using Router.Galleries.Index;
using Xunit;

namespace Router.Galleries.Tests;

public class Int8KernelTests
{
    [Fact]
    public void Simd_dot_equals_the_plain_integer_dot()
    {
        var rng = new Random(1);
        var a = new sbyte[512];
        var b = new sbyte[512];
        for (int round = 0; round < 50; round++)
        {
            for (int i = 0; i < 512; i++) { a[i] = (sbyte)rng.Next(-127, 128); b[i] = (sbyte)rng.Next(-127, 128); }
            int expected = 0;
            for (int i = 0; i < 512; i++) expected += a[i] * b[i];
            Assert.Equal(expected, Int8Dot.Dot(ref a[0], ref b[0], 512));
        }
    }

    [Fact]
    public void Extreme_codes_do_not_saturate()
    {
        var a = Enumerable.Repeat((sbyte)-127, 512).ToArray();
        var b = Enumerable.Repeat((sbyte)-127, 512).ToArray();
        Assert.Equal(127 * 127 * 512, Int8Dot.Dot(ref a[0], ref b[0], 512));
    }

    [Fact]
    public void Quantised_cosine_is_within_the_rerank_margin()
    {
        var rng = new Random(2);
        double worst = 0;
        Span<sbyte> ca = stackalloc sbyte[512], cb = stackalloc sbyte[512];
        for (int round = 0; round < 200; round++)
        {
            var x = TestVectors.Random(rng);
            var y = round % 2 == 0 ? TestVectors.Near(x, 0.6, rng) : TestVectors.Random(rng);
            float sa = Int8Quantizer.Quantize(x, ca), sb = Int8Quantizer.Quantize(y, cb);
            double approx = Int8Dot.Dot(ref ca[0], ref cb[0], 512) * sa * sb;
            worst = Math.Max(worst, Math.Abs(approx - TensorPrimitives.Dot<float>(x, y)));
        }
        Assert.True(worst < GalleryIndex.ApproxMargin / 4, $"worst error {worst}");
    }

    [Fact]
    public void Four_query_kernel_equals_four_single_dots()
    {
        var rng = new Random(3);
        var row = new sbyte[512];
        var queries = new sbyte[4 * 512];
        for (int i = 0; i < row.Length; i++) row[i] = (sbyte)rng.Next(-127, 128);
        for (int i = 0; i < queries.Length; i++) queries[i] = (sbyte)rng.Next(-127, 128);
        Span<int> sums = stackalloc int[4];
        Int8Dot.Dot4(ref row[0], ref queries[0], 512, sums);
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
        index.SearchBatch(queries, k, ids, scores);
        for (int q = 0; q < count; q++)
        {
            Assert.All(ids.Skip(q * k).Take(k), id => Assert.Equal(q * 40, id / 10));
            Assert.True(scores[q * k] >= scores[q * k + 1] && scores[q * k + 1] >= scores[q * k + 2]);
        }
    }
}
