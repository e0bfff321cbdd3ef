namespace Router.Models.Imaging;

/// <summary>Encoded image formats that <see cref="ImageDecoder"/> accepts, told apart by their magic bytes.</summary>
public enum ImageFormat
{
    Unknown,
    Jpeg,
    Png,
    Bmp,
    Gif,
    Webp,
}
