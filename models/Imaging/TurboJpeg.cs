using System.Runtime.InteropServices;

namespace Router.Models.Imaging;

/// <summary>P/Invoke of Debian's libturbojpeg (TurboJPEG API 2.x). Handles are not thread-safe: see <see cref="JpegCodec"/>.</summary>
internal static unsafe partial class TurboJpeg
{
    private const string Lib = "libturbojpeg.so.0";

    public const int PixelFormatBgr = 1;   // TJPF_BGR
    public const int Subsampling420 = 2;   // TJSAMP_420
    public const int FlagNoRealloc = 1024; // TJFLAG_NOREALLOC
    public const int ErrorFatal = 1;       // TJERR_FATAL

    [LibraryImport(Lib)] public static partial nint tjInitCompress();
    [LibraryImport(Lib)] public static partial nint tjInitDecompress();
    [LibraryImport(Lib)] public static partial int tjDestroy(nint handle);
    [LibraryImport(Lib)] public static partial nint tjGetErrorStr2(nint handle);
    [LibraryImport(Lib)] public static partial int tjGetErrorCode(nint handle);
    [LibraryImport(Lib)] public static partial nuint tjBufSize(int width, int height, int subsamp);

    [LibraryImport(Lib)]
    public static partial int tjDecompressHeader3(nint handle, byte* jpeg, nuint size, out int width, out int height,
        out int subsamp, out int colorspace);

    [LibraryImport(Lib)]
    public static partial int tjDecompress2(nint handle, byte* jpeg, nuint size, byte* dst, int width, int pitch,
        int height, int pixelFormat, int flags);

    [LibraryImport(Lib)]
    public static partial int tjCompress2(nint handle, byte* src, int width, int pitch, int height, int pixelFormat,
        byte** jpeg, nuint* jpegSize, int subsamp, int quality, int flags);

    public static string ErrorOf(nint handle) => Marshal.PtrToStringUTF8(tjGetErrorStr2(handle)) ?? "unknown libturbojpeg error";
}
