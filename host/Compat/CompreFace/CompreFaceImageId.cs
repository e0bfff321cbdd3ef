using System.Buffers.Binary;
using System.Globalization;

namespace Router.Host.Compat.CompreFace;

/// <summary>
/// CompreFace names stored examples by UUID; Router's faces have 64-bit ids. The id is the UUID's
/// last 8 bytes (big-endian, the first 8 zero), so the mapping needs no table and reads back exactly.
/// </summary>
public static class CompreFaceImageId
{
    public static string Of(long faceId)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], faceId);
        return $"00000000-0000-0000-{Convert.ToHexStringLower(bytes[8..10])}-{Convert.ToHexStringLower(bytes[10..])}";
    }

    /// <summary>The face id of an image id (a UUID made by <see cref="Of"/>, or a plain decimal id); image not found otherwise.</summary>
    public static long Parse(string imageId)
    {
        if (Guid.TryParse(imageId, out var guid))
        {
            Span<byte> bytes = stackalloc byte[16];
            guid.TryWriteBytes(bytes, bigEndian: true, out _);
            if (bytes[..8].IndexOfAnyExcept((byte)0) < 0) return BinaryPrimitives.ReadInt64BigEndian(bytes[8..]);
        }
        else if (long.TryParse(imageId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return id;
        throw CompreFaceError.NoImage(imageId);
    }
}
