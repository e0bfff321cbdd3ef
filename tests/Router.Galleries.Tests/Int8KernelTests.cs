using Router.Tests.Common;
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
}
