using System.Runtime.InteropServices;

namespace Router.Models.Imaging;

/// <summary>P/Invoke of Debian's stb_image build (libstb0) for PNG, BMP and GIF (first frame).</summary>
internal static unsafe partial class StbImage
{
    private const string Lib = "libstb.so.0";

    [LibraryImport(Lib)] public static partial byte* stbi_load_from_memory(byte* buffer, int length, out int width, out int height, out int channelsInFile, int desiredChannels);
    [LibraryImport(Lib)] public static partial int stbi_info_from_memory(byte* buffer, int length, out int width, out int height, out int channels);
    [LibraryImport(Lib)] public static partial void stbi_image_free(void* pixels);
    [LibraryImport(Lib)] public static partial nint stbi_failure_reason();

    public static string FailureReason() => Marshal.PtrToStringUTF8(stbi_failure_reason()) ?? "unknown stb_image error";
}
