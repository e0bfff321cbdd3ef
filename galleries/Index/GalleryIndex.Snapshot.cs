using System.Runtime.InteropServices;
using System.Text;
using Router.Galleries.Storage;

namespace Router.Galleries.Index;

/// <summary>
/// One gallery's part of an index snapshot (<see cref="IndexSnapshotFile"/>): the arrays as they
/// are in memory, written and read in bulk, so that loading costs a read of the file and no
/// per-face quantisation. The memory a loaded index takes is what a rebuild of the same faces
/// takes: the same chunks, entry chunks only where a face has an entry.
/// </summary>
public sealed partial class GalleryIndex
{
    /// <summary>Writes this index under its read lock: name, count, ids, scales, codes, sign codes, slot table, non-empty entries.</summary>
    internal void WriteSnapshot(Stream stream, BinaryWriter writer)
    {
        _lock.EnterReadLock();
        try
        {
            writer.Write(Name);
            writer.Write(_count);
            writer.Flush();
            // All ids, then all scales, as if each were one array (the format predates the chunks).
            for (int start = 0; start < _count; start += ChunkFaces)
                stream.Write(MemoryMarshal.AsBytes(_idChunks[start >> ChunkShift].AsSpan(0, Math.Min(ChunkFaces, _count - start))));
            for (int start = 0; start < _count; start += ChunkFaces)
                stream.Write(MemoryMarshal.AsBytes(_scaleChunks[start >> ChunkShift].AsSpan(0, Math.Min(ChunkFaces, _count - start))));
            for (int start = 0; start < _count; start += ChunkFaces)
            {
                int faces = Math.Min(ChunkFaces, _count - start);
                stream.Write(MemoryMarshal.AsBytes(_chunks[start >> ChunkShift].AsSpan(0, faces * Dim)));
                stream.Write(MemoryMarshal.AsBytes(_signChunks[start >> ChunkShift].AsSpan(0, SignWords(faces))));
            }
            var buckets = _slots.Buckets;
            writer.Write(buckets.Length);
            writer.Flush();
            stream.Write(MemoryMarshal.AsBytes(buckets));
            int described = 0;
            for (int slot = 0; slot < _count; slot++)
                if (!ReferenceEquals(EntryAt(slot), FaceEntry.Empty)) described++;
            writer.Write(described);
            for (int slot = 0; slot < _count; slot++)
            {
                var entry = EntryAt(slot);
                if (ReferenceEquals(entry, FaceEntry.Empty)) continue;
                writer.Write(slot);
                // The store's own encoding, parsed back as a rebuild from the store parses it.
                writer.Write(FaceJson.Meta(entry.Meta));
                writer.Write(FaceJson.Features(entry.Features));
                writer.Write(entry.Subject is not null);
                if (entry.Subject is not null) writer.Write(entry.Subject);
            }
            writer.Flush();
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>Sign words of the first <paramref name="faces"/> faces of a chunk: whole blocks of four.</summary>
    private static int SignWords(int faces) => (faces + SignBlock - 1) / SignBlock * SignBlock * SignCodes.Words;

    /// <summary>
    /// Reads what <see cref="WriteSnapshot"/> wrote. Every length is checked against the bytes left
    /// (<paramref name="remaining"/>) before anything is allocated, so that a damaged file fails with
    /// <see cref="InvalidDataException"/> or <see cref="EndOfStreamException"/> instead of a huge
    /// allocation; the caller checks the checksum before the index is used.
    /// </summary>
    internal static GalleryIndex ReadSnapshot(Stream stream, BinaryReader reader, Func<long> remaining)
    {
        var name = reader.ReadString();
        int count = reader.ReadInt32();
        long perFace = sizeof(long) + sizeof(float) + Dim + SignCodes.Bytes;
        if (count < 0 || count * perFace > remaining()) throw new InvalidDataException($"gallery '{name}' claims {count} faces, more than the file holds");
        var index = new GalleryIndex(name);
        index.EnsureCapacity(count);
        for (int start = 0; start < count; start += ChunkFaces)
            stream.ReadExactly(MemoryMarshal.AsBytes(index._idChunks[start >> ChunkShift].AsSpan(0, Math.Min(ChunkFaces, count - start))));
        for (int start = 0; start < count; start += ChunkFaces)
            stream.ReadExactly(MemoryMarshal.AsBytes(index._scaleChunks[start >> ChunkShift].AsSpan(0, Math.Min(ChunkFaces, count - start))));
        for (int start = 0; start < count; start += ChunkFaces)
        {
            int faces = Math.Min(ChunkFaces, count - start);
            stream.ReadExactly(MemoryMarshal.AsBytes(index._chunks[start >> ChunkShift].AsSpan(0, faces * Dim)));
            stream.ReadExactly(MemoryMarshal.AsBytes(index._signChunks[start >> ChunkShift].AsSpan(0, SignWords(faces))));
        }
        int bucketCount = reader.ReadInt32();
        if (bucketCount < 0 || bucketCount * (long)sizeof(int) > remaining()) throw new InvalidDataException($"gallery '{name}' claims {bucketCount} slot buckets, more than the file holds");
        var buckets = new int[bucketCount];
        stream.ReadExactly(MemoryMarshal.AsBytes(buckets.AsSpan()));
        var slots = SlotTable.Restore(buckets, count);
        int described = reader.ReadInt32();
        if (described < 0 || described > count) throw new InvalidDataException($"gallery '{name}' claims {described} face entries for {count} faces");
        for (int i = 0; i < described; i++)
        {
            int slot = reader.ReadInt32();
            if (slot < 0 || slot >= count) throw new InvalidDataException($"a face entry of gallery '{name}' names slot {slot} of {count}");
            var meta = FaceJson.ParseMeta(reader.ReadString());
            var features = FaceJson.ParseFeatures(reader.ReadString());
            string? subject = reader.ReadBoolean() ? reader.ReadString() : null;
            index.SetEntry(slot, FaceEntry.Create(meta, features, subject));
        }
        index._count = count;
        index._slots = slots;
        return index;
    }
}
