namespace Router.Models.Imaging;

using System.Runtime.InteropServices;

/// <summary>P/Invoke of Debian's libwebp7 decoder: header info and decoding straight into a BGR buffer.</summary>
internal static unsafe partial class WebP
{
    private const string Lib = "libwebp.so.7";

    [LibraryImport(Lib)] public static partial int WebPGetInfo(byte* data, nuint size, out int width, out int height);
    [LibraryImport(Lib)] public static partial byte* WebPDecodeBGRInto(byte* data, nuint size, byte* output, nuint outputSize, int outputStride);
}
