using System.Reflection;
using System.Runtime.InteropServices;

namespace Router.Galleries.Storage;

/// <summary>
/// Binds Microsoft.Data.Sqlite 6 to Debian's libsqlite3: the only SQLitePCLRaw here (2.0.6)
/// looks for "e_sqlite3", so the import is mapped to libsqlite3.so.0 (see stack.md).
/// </summary>
internal static class SqliteNative
{
    private static readonly object Gate = new();
    private static bool _initialised;

    public static void EnsureInitialised()
    {
        lock (Gate)
        {
            if (_initialised) return;
            var providerAssembly = typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly;
            try
            {
                NativeLibrary.SetDllImportResolver(providerAssembly, Resolve);
            }
            catch (InvalidOperationException)
            {
                // Another component set a resolver for this assembly already; it knows best.
            }
            SQLitePCL.raw.SetProvider(new SQLitePCL.SQLite3Provider_e_sqlite3());
            _initialised = true;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != "e_sqlite3") return IntPtr.Zero;
        foreach (var candidate in new[] { "libsqlite3.so.0", "libsqlite3.so", "e_sqlite3" })
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle))
                return handle;
        return IntPtr.Zero;
    }
}
