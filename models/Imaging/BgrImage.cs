using System.Buffers;

namespace Router.Models.Imaging;

/// <summary>
/// An 8-bit BGR image (3 bytes a pixel, rows packed: stride = width × 3) whose pixels come
/// from <see cref="ArrayPool{T}.Shared"/>: frames and crops are rented and returned, never
/// allocated per frame. Dispose returns the buffer; using the image afterwards is a bug.
/// </summary>
public sealed class BgrImage : IDisposable
{
    private byte[]? _buffer;

    private BgrImage(int width, int height, byte[] buffer)
    {
        Width = width;
        Height = height;
        _buffer = buffer;
    }

    public int Width { get; }
    public int Height { get; }
    public int Stride => Width * 3;
    public int Length => Width * Height * 3;

    public Span<byte> Pixels => Buffer.AsSpan(0, Length);
    public Memory<byte> Memory => Buffer.AsMemory(0, Length);
    public Span<byte> Row(int y) => Buffer.AsSpan(y * Stride, Stride);

    /// <summary>The rented array; longer than <see cref="Length"/>. For native calls that need a pinned base.</summary>
    public byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(BgrImage));

    public static BgrImage Rent(int width, int height)
    {
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
            throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} is out of range");
        return new BgrImage(width, height, ArrayPool<byte>.Shared.Rent(width * height * 3));
    }

    /// <summary>A copy of a BGR24 buffer with rows packed (stride = width × 3).</summary>
    public static BgrImage CopyOf(ReadOnlySpan<byte> bgr, int width, int height)
    {
        var image = Rent(width, height);
        bgr[..image.Length].CopyTo(image.Pixels);
        return image;
    }

    public BgrImage Clone() => CopyOf(Pixels, Width, Height);

    /// <summary>The largest image accepted anywhere: 100 megapixels.</summary>
    public const long MaxPixels = 100_000_000;

    public void Dispose()
    {
        var b = Interlocked.Exchange(ref _buffer, null);
        if (b != null) ArrayPool<byte>.Shared.Return(b);
    }
}
