namespace Router.Models.Imaging;

/// <summary>An upright decoded picture, the format it came in and the EXIF orientation that was applied (1 = none).</summary>
public sealed class DecodedImage(BgrImage image, ImageFormat format, int orientation) : IDisposable
{
    public BgrImage Image { get; } = image;
    public ImageFormat Format { get; } = format;
    public int Orientation { get; } = orientation;

    public void Dispose() => Image.Dispose();
}
