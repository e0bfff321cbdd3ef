using Router.Abstractions;

namespace Router.Models.Imaging;

/// <summary>
/// Limits on one decode: pixels, and the peak memory the header says the decode needs
/// (<see cref="ImageHeader.DecodeBytes"/>). Both refusals are the pixel-limit error (BAD_PARAM on
/// <c>image</c>), raised before any pixel memory is taken.
/// </summary>
public sealed record DecodeLimits(long MaxPixels, long MaxDecodeBytes)
{
    /// <summary>
    /// 1 GiB a decode admits every JPEG, PNG (16-bit too), GIF, BMP and WEBP up to the 100 MP
    /// pixel limit (their decodes peak at 3–9 bytes a pixel, measured: see <see cref="ImageHeaders"/>),
    /// and refuses what only costs more: 16-bit interlaced PNGs over ~87 MP (4 + 8 bytes a pixel),
    /// progressive JPEGs over ~87 MP that also need an EXIF rotation.
    /// </summary>
    public const long DefaultMaxDecodeBytes = 1L << 30;

    public static DecodeLimits Default { get; } = new(BgrImage.MaxPixels, DefaultMaxDecodeBytes);

    public void Check(in ImageHeader header)
    {
        if (header.Width <= 0 || header.Height <= 0)
            throw new RouterException(ErrorCodes.MalformedRequest, $"{header.Format} image has no pixels ({header.Size})");
        if (header.Pixels > MaxPixels)
            throw RouterException.BadParam("image", header.Size, $"image of {header.Size} is over the {MaxPixels} pixel limit");
        if (header.DecodeBytes > MaxDecodeBytes)
            throw RouterException.BadParam("image", header.Size,
                $"image of {header.Size} ({header.Format}, {header.BitsPerChannel} bits per channel) needs {Mib(header.DecodeBytes)} MiB to decode, over the {Mib(MaxDecodeBytes)} MiB limit per decode");
    }

    private static long Mib(long bytes) => (bytes + (1 << 20) - 1) >> 20;
}
