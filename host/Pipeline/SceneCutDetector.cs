using Router.Models.Imaging;

namespace Router.Host.Pipeline;

/// <summary>
/// Notices a scene cut (a recorded clip's edit, a PTZ preset jump, a camera switched on a
/// multiplexer) between two processed frames, so that tracks end there: an IoU tracker would
/// otherwise carry a track from one person onto another who happens to stand at the same place
/// in the next scene, and the second person would never be posted. Compares a 64×36 grey
/// sample grid of consecutive frames: the mean absolute difference of a real scene change is
/// several times what motion, noise or a slow zoom gives (measured on the demo clip:
/// <see cref="Ingest.CameraSettings.SceneCutThreshold"/>). The same comparison says how much of the
/// picture moved (<see cref="LastMovedShare"/>), which the motion gate reads.
/// </summary>
public sealed class SceneCutDetector
{
    private const int GridWidth = 64, GridHeight = 36;
    private readonly byte[] _previous = new byte[GridWidth * GridHeight];
    private readonly byte[] _current = new byte[GridWidth * GridHeight];
    private bool _hasPrevious;

    /// <summary>A sample's grey change (0..255) from which it counts as moved: above what sensor noise and compression give a still scene.</summary>
    public const int MovedCellDelta = 16;

    /// <param name="threshold">Mean absolute grey difference (0..255) above which two frames are different scenes; 0 turns detection off.</param>
    public SceneCutDetector(double threshold) => Threshold = threshold;

    public double Threshold { get; }

    /// <summary>The last frame's difference to the one before (0..255), for statistics and calibration.</summary>
    public double LastDifference { get; private set; }

    /// <summary>The share (0..1) of the grid's samples whose grey changed by more than <see cref="MovedCellDelta"/> since the last frame; 1 for the first frame.</summary>
    public double LastMovedShare { get; private set; } = 1;

    /// <summary>Takes the next frame; true when it starts a new scene.</summary>
    public bool IsCut(BgrImage image)
    {
        var pixels = image.Pixels;
        long sum = 0;
        int moved = 0;
        for (int gy = 0; gy < GridHeight; gy++)
        {
            int y = (int)((gy + 0.5) * image.Height / GridHeight);
            int row = y * image.Stride;
            for (int gx = 0; gx < GridWidth; gx++)
            {
                int o = row + (int)((gx + 0.5) * image.Width / GridWidth) * 3;
                // BT.601 luma in integers: 29·B + 150·G + 77·R over 256.
                var grey = (byte)((29 * pixels[o] + 150 * pixels[o + 1] + 77 * pixels[o + 2]) >> 8);
                int i = gy * GridWidth + gx;
                _current[i] = grey;
                int d = Math.Abs(grey - _previous[i]);
                sum += d;
                if (d > MovedCellDelta) moved++;
            }
        }
        var had = _hasPrevious;
        _hasPrevious = true;
        _current.CopyTo(_previous, 0);
        LastDifference = had ? (double)sum / _current.Length : 0;
        LastMovedShare = had ? (double)moved / _current.Length : 1;
        return had && Threshold > 0 && LastDifference > Threshold;
    }

    public void Reset()
    {
        _hasPrevious = false;
        LastMovedShare = 1;
    }
}
