using System.Runtime.InteropServices;

namespace Router.Galleries.Index;

/// <summary>
/// fsync of a folder, after a file was renamed into it: the rename itself is durable only once the
/// folder's entry is on disk, and .NET has no API for it (a folder cannot be opened as a FileStream).
/// Linux only, as the project; elsewhere, or when the folder cannot be opened, nothing happens.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;        // O_RDONLY
    private const int Directory = 0x10000; // O_DIRECTORY on x86-64 and arm64 Linux

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>Flushes the folder's entries to disk; false when it could not (not Linux, or the call failed).</summary>
    public static bool Flush(string folder)
    {
        if (!OperatingSystem.IsLinux()) return false;
        int fd = Open(folder, ReadOnly | Directory);
        if (fd < 0) return false;
        try { return Fsync(fd) == 0; }
        finally { _ = Close(fd); } // a failed close of a read-only descriptor loses nothing
    }
}
