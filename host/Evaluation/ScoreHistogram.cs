namespace Router.Host.Evaluation;

/// <summary>
/// Counts of similarity scores in bins of 1e-4 over −1..1: exact enough for every threshold a
/// user sets, and the same 160 KB whether it holds a thousand pairs or a billion (all the
/// different-person pairs of a set are counted, not stored).
/// </summary>
public sealed class ScoreHistogram
{
    public const int BinsPerUnit = 10_000;
    public const int Bins = 2 * BinsPerUnit + 1;

    private readonly long[] _counts = new long[Bins];

    public long Total { get; private set; }
    public float Min { get; private set; } = float.PositiveInfinity;
    public float Max { get; private set; } = float.NegativeInfinity;

    public ReadOnlySpan<long> Counts => _counts;

    public static int BinOf(float score) => Math.Clamp((int)MathF.Floor((score + 1f) * BinsPerUnit), 0, Bins - 1);

    /// <summary>The lowest score that falls into <paramref name="bin"/>: a threshold there accepts that bin and all above.</summary>
    public static double LowerEdge(int bin) => (double)bin / BinsPerUnit - 1.0;

    public void Add(float score)
    {
        if (float.IsNaN(score)) return;
        _counts[BinOf(score)]++;
        Total++;
        if (score < Min) Min = score;
        if (score > Max) Max = score;
    }

    public void Add(ScoreHistogram other)
    {
        for (var i = 0; i < Bins; i++) _counts[i] += other._counts[i];
        Total += other.Total;
        if (other.Min < Min) Min = other.Min;
        if (other.Max > Max) Max = other.Max;
    }

    /// <summary>For each bin, how many scores lie in it or above: the count a threshold at its lower edge accepts.</summary>
    public long[] AtOrAbove()
    {
        var result = new long[Bins + 1];
        for (var i = Bins - 1; i >= 0; i--) result[i] = result[i + 1] + _counts[i];
        return result;
    }
}
