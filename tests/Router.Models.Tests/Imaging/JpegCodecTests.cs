using Router.Abstractions;
using Router.Models.Imaging;
using Router.Tests.Common;
using Xunit;

namespace Router.Models.Tests.Imaging;

public class JpegCodecTests
{
    [Fact]
    public void Decodes_sample_photo_and_round_trips_through_encode()
    {
        var bytes = SamplePhotos.Read("sample1.jpg");
        using var image = JpegCodec.Decode(bytes);
        Assert.Equal(JpegCodec.ReadSize(bytes), (image.Width, image.Height));

        var encoded = JpegCodec.Encode(image, 90);
        using var again = JpegCodec.Decode(encoded);
        Assert.Equal((image.Width, image.Height), (again.Width, again.Height));
        // Re-encoding at quality 90 keeps pixels close: mean absolute difference under 3 levels.
        long diff = 0;
        var a = image.Pixels; var b = again.Pixels;
        for (int i = 0; i < a.Length; i++) diff += Math.Abs(a[i] - b[i]);
        Assert.True(diff / (double)a.Length < 3.0, $"mean abs diff {diff / (double)a.Length}");
    }

    [Fact]
    public void Truncated_jpeg_is_malformed_request()
    {
        var bytes = SamplePhotos.Read("sample2.jpg");
        var e = Assert.Throws<RouterException>(() => JpegCodec.Decode(bytes.AsSpan(0, bytes.Length / 2)).Dispose());
        Assert.Equal(ErrorCodes.MalformedRequest, e.Code);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(1000)]
    public void Jpeg_cut_inside_its_header_is_malformed_request(int length)
    {
        var bytes = SamplePhotos.Read("sample3.jpg");
        var e = Assert.Throws<RouterException>(() => JpegCodec.Decode(bytes.AsSpan(0, length)).Dispose());
        Assert.Equal(ErrorCodes.MalformedRequest, e.Code);
    }

    [Fact]
    public void Random_bytes_are_malformed_request()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        var e = Assert.Throws<RouterException>(() => JpegCodec.Decode(bytes).Dispose());
        Assert.Equal(ErrorCodes.MalformedRequest, e.Code);
    }
}
