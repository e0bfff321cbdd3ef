using Router.Abstractions;
using SkiaSharp;

namespace Router.Models.Imaging;

/// <summary>
/// PNG, BMP and GIF (first frame) through Skia's codecs (SkiaSharp; libpng and wuffs inside
/// Skia, fuzzed upstream), decoded straight into the pooled picture: Skia writes BGRA into a
/// <see cref="BgrImage.RentForBgra"/> buffer, packed to BGR in place. No colour management
/// (the destination has no colour space) and alpha dropped unblended, as stb_image did before.
/// WEBP stays on libwebp, which measured faster and decodes straight to BGR (README, "Image codecs").
/// </summary>
internal static unsafe class SkiaCodec
{
    public static BgrImage Decode(ReadOnlySpan<byte> data, in ImageHeader header)
    {
        fixed (byte* src = data)
        {
            // Wraps the caller's bytes without a copy; the codec does not outlive this block.
            using var encoded = SKData.Create((IntPtr)src, data.Length);
            using var codec = SKCodec.Create(encoded)
                ?? throw new RouterException(ErrorCodes.MalformedRequest, $"not a readable {header.Format}");
            var (w, h) = (codec.Info.Width, codec.Info.Height);
            // The limits were checked on the header's size: the codec must agree with it.
            if ((w, h) != (header.Width, header.Height))
                throw new RouterException(ErrorCodes.MalformedRequest, $"{header.Format} header says {header.Size} but its codec reads {w}x{h}");
            var image = BgrImage.RentForBgra(w, h);
            try
            {
                var info = new SKImageInfo(w, h, SKColorType.Bgra8888, SKAlphaType.Unpremul);
                SKCodecResult result;
                fixed (byte* dst = image.Bgra)
                    result = codec.GetPixels(info, (IntPtr)dst, w * 4, new SKCodecOptions(0));
                // IncompleteInput fills the missing rows with zeros: a truncated upload is refused,
                // not analysed half black.
                if (result != SKCodecResult.Success)
                    throw new RouterException(ErrorCodes.MalformedRequest, $"corrupt or truncated {header.Format}: {Describe(result)}");
                ColorConversions.PackBgraToBgr(image.Bgra, w * h);
                return image;
            }
            catch
            {
                image.Dispose();
                throw;
            }
        }
    }

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends before the picture does",
        SKCodecResult.ErrorInInput => "the picture data is invalid",
        _ => $"Skia codec result {result}",
    };
}
