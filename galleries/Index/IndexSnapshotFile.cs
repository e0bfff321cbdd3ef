using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using Router.Galleries.Storage;

namespace Router.Galleries.Index;

/// <summary>
/// The indexes of every gallery of a store in one file beside it, so that a restart loads them
/// with bulk reads instead of re-reading and re-quantising every face. A 64-byte header (magic,
/// format version, dimension, sign-code words, galleries, faces, the store's
/// <see cref="IndexVersion"/> it mirrors, and the XxHash128 of everything after the header), then
/// each gallery (<see cref="GalleryIndex.WriteSnapshot"/>). Written to a temporary file beside it,
/// fsynced, renamed over the old one and the folder fsynced, so a crash at any point leaves the old
/// file or the new one.
/// </summary>
public static class IndexSnapshotFile
{
    public const int FormatVersion = 1;
    public const int HeaderBytes = 64;
    private static ReadOnlySpan<byte> Magic => "RTRINDEX"u8;

    /// <summary>Test hook: runs after the temporary file is complete and fsynced, before the rename (a crash there).</summary>
    internal static Action<string>? BeforeRename { get; set; }

    /// <summary>The temporary file a write goes through (left behind only by a crash).</summary>
    public static string TempPath(string path) => path + ".tmp";

    /// <summary>Writes <paramref name="indexes"/> as of <paramref name="version"/>; returns the file's size.</summary>
    public static long Write(string path, IndexVersion version, IReadOnlyCollection<GalleryIndex> indexes)
    {
        var temp = TempPath(path);
        long faces = 0;
        var hash = new XxHash128();
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20))
        {
            file.Write(new byte[HeaderBytes]);
            using (var hashing = new HashingStream(file, hash))
            using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                foreach (var index in indexes)
                {
                    faces += index.Count;
                    index.WriteSnapshot(hashing, writer);
                }
            }
            Span<byte> header = stackalloc byte[HeaderBytes];
            header.Clear();
            Magic.CopyTo(header);
            BinaryPrimitives.WriteInt32LittleEndian(header[8..], FormatVersion);
            BinaryPrimitives.WriteInt32LittleEndian(header[12..], VectorLayout.Dimension);
            BinaryPrimitives.WriteInt32LittleEndian(header[16..], SignCodes.Words);
            BinaryPrimitives.WriteInt32LittleEndian(header[20..], indexes.Count);
            BinaryPrimitives.WriteInt64LittleEndian(header[24..], faces);
            BinaryPrimitives.WriteInt64LittleEndian(header[32..], version.Changes);
            BinaryPrimitives.WriteInt64LittleEndian(header[40..], version.Token);
            hash.Append(header[..48]);
            hash.GetCurrentHash(header[48..64]);
            file.Position = 0;
            file.Write(header);
            file.Flush(flushToDisk: true);
        }
        BeforeRename?.Invoke(temp);
        File.Move(temp, path, overwrite: true);
        // The rename is on disk once the folder is: without this a power cut could bring back the old file.
        DirectorySync.Flush(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new FileInfo(path).Length;
    }

    /// <summary>
    /// The store version and face count a snapshot's header gives, without reading the rest (nor
    /// checking it: <see cref="TryRead"/> does); null when there is no file of this format and dimension.
    /// </summary>
    public static (IndexVersion Version, long Faces)? ReadHeader(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, HeaderBytes);
            Span<byte> header = stackalloc byte[HeaderBytes];
            if (file.Length < HeaderBytes) return null;
            file.ReadExactly(header);
            if (!header[..8].SequenceEqual(Magic) || BinaryPrimitives.ReadInt32LittleEndian(header[8..]) != FormatVersion
                || BinaryPrimitives.ReadInt32LittleEndian(header[12..]) != VectorLayout.Dimension
                || BinaryPrimitives.ReadInt32LittleEndian(header[16..]) != SignCodes.Words) return null;
            return (new IndexVersion(BinaryPrimitives.ReadInt64LittleEndian(header[32..]), BinaryPrimitives.ReadInt64LittleEndian(header[40..])),
                BinaryPrimitives.ReadInt64LittleEndian(header[24..]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// The indexes in <paramref name="path"/> when it is a complete, undamaged snapshot of this
    /// format and dimension as of <paramref name="expected"/>; otherwise null and, in the reason,
    /// why not (missing, another version, stale, damaged). Never throws for a bad file.
    /// </summary>
    public static (Dictionary<string, GalleryIndex>? Indexes, string Reason) TryRead(string path, IndexVersion expected)
    {
        var indexes = TryRead(path, expected, out var reason);
        return (indexes, reason);
    }

    private static Dictionary<string, GalleryIndex>? TryRead(string path, IndexVersion expected, out string reason)
    {
        long faces = 0;
        if (!BitConverter.IsLittleEndian) { reason = "the snapshot format is little-endian"; return null; }
        if (!File.Exists(path)) { reason = "no snapshot"; return null; }
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            Span<byte> header = stackalloc byte[HeaderBytes];
            if (file.Length < HeaderBytes) { reason = $"truncated ({file.Length} bytes)"; return null; }
            file.ReadExactly(header);
            if (!header[..8].SequenceEqual(Magic)) { reason = "not an index snapshot (bad magic)"; return null; }
            int format = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
            if (format != FormatVersion) { reason = $"format version {format}, not {FormatVersion}"; return null; }
            int dim = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
            int words = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
            if (dim != VectorLayout.Dimension || words != SignCodes.Words) { reason = $"dimension {dim} ({words} sign words), not {VectorLayout.Dimension}"; return null; }
            int galleries = BinaryPrimitives.ReadInt32LittleEndian(header[20..]);
            long total = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
            var version = new IndexVersion(BinaryPrimitives.ReadInt64LittleEndian(header[32..]), BinaryPrimitives.ReadInt64LittleEndian(header[40..]));
            if (version != expected) { reason = $"stale: it mirrors store version {version}, the store is at {expected}"; return null; }
            var storedHash = header[48..64].ToArray();

            var hash = new XxHash128();
            var indexes = new Dictionary<string, GalleryIndex>(StringComparer.Ordinal);
            using (var hashing = new HashingStream(file, hash))
            using (var reader = new BinaryReader(hashing, Encoding.UTF8, leaveOpen: true))
            {
                Func<long> remaining = () => file.Length - file.Position;
                if (galleries < 0 || galleries > remaining()) { reason = $"damaged: {galleries} galleries"; return null; }
                for (int g = 0; g < galleries; g++)
                {
                    var index = GalleryIndex.ReadSnapshot(hashing, reader, remaining);
                    if (!indexes.TryAdd(index.Name, index)) { reason = $"damaged: gallery '{index.Name}' twice"; return null; }
                    faces += index.Count;
                }
                if (file.Position != file.Length) { reason = $"damaged: {file.Length - file.Position} bytes after the last gallery"; return null; }
            }
            hash.Append(header[..48]);
            if (!hash.GetCurrentHash().AsSpan().SequenceEqual(storedHash)) { reason = "damaged: checksum mismatch"; return null; }
            if (faces != total) { reason = $"damaged: {faces} faces, the header says {total}"; return null; }
            reason = "current";
            return indexes;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or FormatException
                                       or System.Text.Json.JsonException)
        {
            // EndOfStreamException is an IOException: a truncated file.
            reason = $"unreadable ({e.GetType().Name}: {e.Message})";
            return null;
        }
    }

    /// <summary>Passes reads and writes through to a stream, appending every byte to a hash.</summary>
    private sealed class HashingStream(Stream inner, NonCryptographicHashAlgorithm hash) : Stream
    {
        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            hash.Append(buffer[..n]);
            return n;
        }

        public override int ReadByte()
        {
            Span<byte> one = stackalloc byte[1];
            return Read(one) == 1 ? one[0] : -1;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            hash.Append(buffer);
            inner.Write(buffer);
        }

        public override void WriteByte(byte value) => Write([value]);
    }
}
