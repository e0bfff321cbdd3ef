using Router.Host.Evaluation;
using Xunit;

namespace Router.Host.Tests.Evaluation;

/// <summary>The eval figures against an example small enough to work out by hand.</summary>
public sealed class VerificationMetricsTests
{
    // 4 same-person and 10 different-person scores.
    private static readonly float[] Genuine = [0.9f, 0.8f, 0.6f, 0.3f];
    private static readonly float[] Impostor = [0.7f, 0.5f, 0.2f, 0.1f, 0.0f, -0.1f, -0.2f, -0.3f, -0.4f, -0.5f];

    private static VerificationSummary Summary()
    {
        var g = new ScoreHistogram();
        var i = new ScoreHistogram();
        foreach (var s in Genuine) g.Add(s);
        foreach (var s in Impostor) i.Add(s);
        return VerificationMetrics.Compute(g, i, [0.1, 0.01]);
    }

    [Fact]
    public void TarAtFarTakesTheLowestThresholdWithinTheTarget()
    {
        var s = Summary();
        // FAR ≤ 0.1 of 10 impostors: at most one accepted, so the threshold sits just above 0.5 and 0.7 alone gets through;
        // 0.9, 0.8 and 0.6 of the four genuine pairs are accepted.
        var at = s.TarAtFar[0];
        Assert.InRange(at.Threshold!.Value, 0.5, 0.5002);
        Assert.Equal(1, at.ImpostorsAccepted);
        Assert.Equal(0.1, at.Far!.Value, 9);
        Assert.Equal(0.75, at.Tar!.Value, 9);
        // 1e-2 of 10 pairs is not one pair: not measurable, and it says why.
        Assert.Null(s.TarAtFar[1].Tar);
        Assert.Contains("100 different-person pairs", s.TarAtFar[1].NotMeasurable);
    }

    [Fact]
    public void EerAucAndRanges()
    {
        var s = Summary();
        // Just above 0.3: FAR 2/10 (0.7, 0.5), FRR 1/4 (0.3): the first point where FRR ≥ FAR.
        Assert.Equal((0.2 + 0.25) / 2, s.Eer, 9);
        Assert.InRange(s.EerThreshold, 0.3, 0.3002);
        // Genuine above impostor: 10 + 10 + 9 + 8 of 40 pairs.
        Assert.Equal(37.0 / 40, s.Auc, 9);
        Assert.Equal((4L, 10L), (s.GenuinePairs, s.ImpostorPairs));
        Assert.Equal(0.3, s.GenuineMin, 5);
        Assert.Equal(0.7, s.ImpostorMax, 5);
        Assert.Equal(1.0, s.Genuine.Share.Sum(), 9);
        Assert.Equal(1.0, s.Impostor.Share.Sum(), 9);
    }

    [Fact]
    public void TableGivesFarAndTarPerThreshold()
    {
        var s = Summary();
        var at055 = s.Table.Single(p => Math.Abs(p.Threshold - 0.55) < 1e-9);
        Assert.Equal((0.1, 0.75), (at055.Far, at055.Tar));
        var at0 = s.Table.Single(p => p.Threshold == 0);
        Assert.Equal((0.5, 1.0), (at0.Far, at0.Tar)); // 0.7, 0.5, 0.2, 0.1, 0.0 of the impostors
        Assert.Equal(101, s.Table.Count);
    }

    [Fact]
    public void AccuracyAtTheBestThreshold()
    {
        var pairs = Genuine.Select(g => (g, true, 0)).Concat(Impostor.Select(i => (i, false, 0))).ToList();
        var accuracy = VerificationMetrics.Accuracy(pairs, 1);
        // Three thresholds classify 12 of 14 right (between 0.2 and 0.3, 0.5 and 0.6, 0.7 and 0.8); the lowest is taken.
        Assert.Equal(12.0 / 14, accuracy.Accuracy, 9);
        Assert.Equal(0.25, accuracy.BestThreshold, 5);
        Assert.Equal(12.0 / 14, VerificationMetrics.AccuracyAt(pairs, 0.75), 9);
        Assert.Equal(11.0 / 14, VerificationMetrics.AccuracyAt(pairs, 0.85), 9);
    }

    [Fact]
    public void FoldsChooseTheThresholdOnTheOtherFolds()
    {
        // Fold 0 separates at 0.5, fold 1 at 0.2: each fold is tested at the other's best threshold.
        var pairs = new List<(float, bool, int)>
        {
            (0.6f, true, 0), (0.4f, false, 0),
            (0.3f, true, 1), (0.1f, false, 1),
        };
        var accuracy = VerificationMetrics.Accuracy(pairs, 2);
        // Fold 0 at fold 1's threshold 0.2: both genuine and impostor accepted → 1/2. Fold 1 at fold 0's 0.5: genuine 0.3 rejected → 1/2.
        Assert.Equal(0.5, accuracy.Accuracy, 9);
        Assert.Equal(0, accuracy.StandardDeviation, 9);
        Assert.Equal(2, accuracy.Folds);
    }
}
