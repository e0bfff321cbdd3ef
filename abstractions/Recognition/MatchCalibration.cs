using System.Text.Json;

namespace Router.Abstractions;

/// <summary>
/// What a similarity score means: the false match rate (the share of different-person pairs
/// that score at least this much) and the true match rate (the share of same-person pairs that
/// do), measured with <c>router eval</c> on real photos and shipped with the build
/// (<c>abstractions/Recognition/calibration.json</c>: its source, date and pipeline are in it).
/// Thresholds stay raw cosine similarities; this table translates them.
/// </summary>
public sealed class MatchCalibration
{
    private readonly double[] _thresholds;
    private readonly double[] _far;
    private readonly double[] _tar;

    public MatchCalibration(CalibrationFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (file.Points.Count < 2) throw new ArgumentException("a calibration needs at least two points", nameof(file));
        if (file.ImpostorPairs <= 0) throw new ArgumentException("a calibration needs its number of different-person pairs", nameof(file));
        var points = file.Points.OrderBy(p => p.Threshold).ToArray();
        _thresholds = points.Select(p => p.Threshold).ToArray();
        _far = points.Select(p => p.Far).ToArray();
        _tar = points.Select(p => p.Tar).ToArray();
        File = file;
        FarFloor = 1.0 / file.ImpostorPairs;
    }

    public CalibrationFile File { get; }

    /// <summary>
    /// The lowest false match rate the calibration can tell apart from zero: one different-person
    /// pair among all that were measured. Scores above every measured impostor report this floor,
    /// an upper bound, never zero.
    /// </summary>
    public double FarFloor { get; }

    /// <summary>The calibration shipped with this build.</summary>
    public static MatchCalibration Default { get; } = LoadEmbedded();

    /// <summary>
    /// The false match rate of <paramref name="score"/>: interpolated on a log scale between the
    /// table's points, never below <see cref="FarFloor"/>, rounded up to two significant digits
    /// (more would be false precision; up, so that it never understates the risk).
    /// </summary>
    public double FalseMatchRate(double score)
    {
        if (double.IsNaN(score)) return 1;
        var far = Interpolate(score, _far, log: true);
        return RoundSignificant(Math.Clamp(far, FarFloor, 1));
    }

    /// <summary>The share of same-person pairs that score at least <paramref name="score"/> on the calibration set.</summary>
    public double TrueMatchRate(double score) => double.IsNaN(score) ? 0 : Math.Clamp(Interpolate(score, _tar, log: false), 0, 1);

    /// <summary>The lowest table threshold whose false match rate is at most <paramref name="far"/> (1 when none is).</summary>
    public double ThresholdFor(double far)
    {
        for (var i = 0; i < _thresholds.Length; i++)
            if (_far[i] <= far) return _thresholds[i];
        return 1;
    }

    private double Interpolate(double score, double[] values, bool log)
    {
        if (score <= _thresholds[0]) return values[0];
        var last = _thresholds.Length - 1;
        if (score >= _thresholds[last]) return values[last];
        var i = Array.BinarySearch(_thresholds, score);
        if (i >= 0) return values[i];
        i = ~i; // _thresholds[i-1] < score < _thresholds[i]
        var t = (score - _thresholds[i - 1]) / (_thresholds[i] - _thresholds[i - 1]);
        double a = values[i - 1], b = values[i];
        if (!log) return a + t * (b - a);
        // On a log scale; a zero end (no measured impostor) stands for the floor.
        double la = Math.Log10(Math.Max(a, FarFloor)), lb = Math.Log10(Math.Max(b, FarFloor));
        return Math.Pow(10, la + t * (lb - la));
    }

    private static double RoundSignificant(double v)
    {
        if (v <= 0) return 0;
        var digits = 1 - (int)Math.Floor(Math.Log10(v));
        if (digits is < 0 or > 15) return v;
        var scale = Math.Pow(10, digits);
        // The tolerance keeps values that are two-digit numbers already (1e-3 from a log interpolation) as they are.
        return Math.Ceiling(v * scale - 1e-6) / scale;
    }

    private static MatchCalibration LoadEmbedded()
    {
        using var stream = typeof(MatchCalibration).Assembly.GetManifestResourceStream("Router.Abstractions.Recognition.calibration.json")
            ?? throw new InvalidOperationException("calibration.json is not embedded in Router.Abstractions");
        return new MatchCalibration(Read(stream));
    }

    public static CalibrationFile Read(Stream json) =>
        JsonSerializer.Deserialize<CalibrationFile>(json, CalibrationFile.JsonOptions) ?? throw new InvalidDataException("empty calibration file");
}

/// <summary>The calibration file: where the numbers come from, and the table itself.</summary>
public sealed record CalibrationFile
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public required string Source { get; init; }
    public required string Date { get; init; }
    public required string Pipeline { get; init; }
    public long GenuinePairs { get; init; }
    public long ImpostorPairs { get; init; }
    /// <summary>Threshold → FAR, TAR; thresholds are raw cosine similarities.</summary>
    public required IReadOnlyList<CalibrationPoint> Points { get; init; }
}

public sealed record CalibrationPoint(double Threshold, double Far, double Tar);
