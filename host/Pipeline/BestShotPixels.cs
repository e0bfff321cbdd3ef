using System.Drawing;
using Router.Host.Ingest;
using Router.Models.Imaging;

namespace Router.Host.Pipeline;

/// <summary>
/// A face event's best shot as the pipeline already has it: the decoded frame and the 68
/// landmarks its quality pass computed for the event's box on that frame, so routing needs
/// neither to decode the JPEG photo again nor to run the landmark model a second time.
/// </summary>
/// <remarks>
/// Ownership: each instance holds one reference on the frame and gives it back at its first
/// <see cref="Dispose"/> (later calls do nothing), so whoever got an instance disposes it exactly
/// once and no holder can release another's reference. The instance on
/// <see cref="FaceEvent.Pixels"/> is lent for the duration of <see cref="IFaceEventSink.PublishAsync"/>:
/// the pipeline disposes it when that returns. A sink that reads the pixels later calls
/// <see cref="Keep"/> during PublishAsync and owns what it gets; past the loan, <see cref="Image"/>
/// throws instead of reading pixels the pool may have handed to another frame.
/// </remarks>
public sealed class BestShotPixels : IDisposable
{
    private VideoFrame? _frame;

    /// <summary>Takes a reference of its own on <paramref name="frame"/>.</summary>
    public BestShotPixels(VideoFrame frame, PointF[] landmarks)
    {
        _frame = frame.AddRef();
        Landmarks = landmarks;
    }

    /// <summary>The frame's pixels; ObjectDisposedException once this instance is disposed.</summary>
    public BgrImage Image => (Volatile.Read(ref _frame) ?? throw new ObjectDisposedException(nameof(BestShotPixels))).Image;

    /// <summary>The landmarks of the event's box on <see cref="Image"/> (read only: every holder shares them).</summary>
    public PointF[] Landmarks { get; }

    /// <summary>References on the frame now, all holders together; 0 once this one is disposed. For tests of who releases what.</summary>
    internal int FrameReferences => Volatile.Read(ref _frame)?.References ?? 0;

    /// <summary>A holder of its own (one more reference on the frame) for a sink that needs the pixels past PublishAsync; null once this one is disposed.</summary>
    public BestShotPixels? Keep() => Volatile.Read(ref _frame) is { } frame ? new BestShotPixels(frame, Landmarks) : null;

    /// <summary>Gives this instance's reference back; true for the call that did (the first), false after.</summary>
    public bool Release()
    {
        if (Interlocked.Exchange(ref _frame, null) is not { } frame) return false;
        frame.Release();
        return true;
    }

    public void Dispose() => Release();
}
