namespace Router.Models.Imaging;

/// <summary>
/// What an encoded image's header says, read without decoding a pixel: its format, size, bits
/// per channel, and <see cref="DecodeBytes"/>, the peak memory its decode to upright BGR takes.
/// The limits of <see cref="DecodeLimits"/> are checked against these before any pixel memory
/// is taken: a tiny file can claim a huge picture (a 583 KB PNG of 10000×10000 at 16 bits).
/// </summary>
public readonly record struct ImageHeader(ImageFormat Format, int Width, int Height, int BitsPerChannel, long DecodeBytes)
{
    public long Pixels => (long)Width * Height;

    public string Size => $"{Width}x{Height}";
}
