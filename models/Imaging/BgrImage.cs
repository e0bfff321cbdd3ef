using System.Buffers;

namespace Router.Models.Imaging;

/// <summary>
/// An 8-bit BGR image (3 bytes a pixel, rows packed: stride = width × 3) whose pixels come
/// from <see cref="ArrayPool{T}.Shared"/>: frames and crops are rented and returned, never
/// allocated per frame. Dispose returns the buffer; using the image afterwards is a bug.
/// Pictures over <see cref="MaxPooledBytes"/> get native memory of their own, freed at Dispose:
/// the shared pool keeps every array it is given (up to 1 GiB), so one 100 MP upload would
/// otherwise hold 300 MB for the life of the process (RSS stayed at 2.3 GB after fuzzing).
/// </summary>
public sealed class BgrImage : IDisposable
{
    private byte[]? _array;
    private NativeBuffer? _native;

    private readonly int _capacity;

    private BgrImage(int width, int height, int bytesPerPixel = 3)
    {
        Width = width;
        Height = height;
        _capacity = width * height * bytesPerPixel;
        if (_capacity > MaxPooledBytes) _native = new NativeBuffer(_capacity);
        else _array = ArrayPool<byte>.Shared.Rent(_capacity);
    }

    public int Width { get; }
    public int Height { get; }
    public int Stride => Width * 3;
    public int Length => Width * Height * 3;

    /// <summary>Whether the pixels live in the shared pool (false: a big picture's own memory).</summary>
    public bool IsPooled => _array != null;

    public Span<byte> Pixels => _array is { } a ? a.AsSpan(0, Length) : (_native ?? throw Disposed()).GetSpan();
    public Memory<byte> Memory => _array is { } a ? a.AsMemory(0, Length) : (_native ?? throw Disposed()).Memory;
    public Span<byte> Row(int y) => Pixels.Slice(y * Stride, Stride);

    public static BgrImage Rent(int width, int height)
    {
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
            throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} is out of range");
        return new BgrImage(width, height);
    }

    /// <summary>
    /// A picture whose buffer holds 4 bytes a pixel (<see cref="Bgra"/>): Skia's codecs write
    /// BGRA only, so they decode into it and <see cref="ColorConversions.PackBgraToBgr"/> packs it
    /// to BGR in place, with no second picture.
    /// </summary>
    internal static BgrImage RentForBgra(int width, int height)
    {
        if (width <= 0 || height <= 0 || (long)width * height > MaxPixels)
            throw new ArgumentOutOfRangeException(nameof(width), $"image size {width}x{height} is out of range");
        return new BgrImage(width, height, 4);
    }

    /// <summary>The whole buffer of a <see cref="RentForBgra"/> picture, 4 bytes a pixel.</summary>
    internal Span<byte> Bgra => _capacity < Width * Height * 4 ? throw new InvalidOperationException("not rented for BGRA")
        : _array is { } a ? a.AsSpan(0, _capacity) : (_native ?? throw Disposed()).GetSpan();

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

    /// <summary>
    /// 32 MiB: above a 4K camera frame (3840×2160×3 = 24.9 MB), the largest picture that comes
    /// again and again; bigger ones are one-off uploads, not worth keeping.
    /// </summary>
    public const int MaxPooledBytes = 32 << 20;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } a) ArrayPool<byte>.Shared.Return(a);
        ((IDisposable?)Interlocked.Exchange(ref _native, null))?.Dispose();
    }

    private static ObjectDisposedException Disposed() => new(nameof(BgrImage));
}
