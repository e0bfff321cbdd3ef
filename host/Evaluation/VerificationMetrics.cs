namespace Router.Host.Evaluation;

/// <summary>The true accept rate where the false accept rate is at most <see cref="TargetFar"/>, or why it cannot be measured.</summary>
public sealed record TarAtFar(double TargetFar, double? Threshold, double? Far, double? Tar, long ImpostorsAccepted, string? NotMeasurable);

/// <summary>One row of a calibration table: at this threshold, the share of different-person and same-person pairs accepted.</summary>
public sealed record OperatingPoint(double Threshold, double Far, double Tar);

/// <summary>A coarse histogram for reading and plotting: the share of pairs per bin.</summary>
public sealed record Distribution(double From, double BinWidth, double[] Share);

/// <summary>Verification figures of two score populations (same person, different people).</summary>
public sealed record VerificationSummary(
    long GenuinePairs, long ImpostorPairs, double GenuineMin, double GenuineMax, double ImpostorMin, double ImpostorMax,
    IReadOnlyList<TarAtFar> TarAtFar, double Eer, double EerThreshold, double Auc,
    IReadOnlyList<OperatingPoint> Table, Distribution Genuine, Distribution Impostor);

public static class VerificationMetrics
{
    public static readonly double[] StandardFars = [1e-2, 1e-3, 1e-4, 1e-5, 1e-6];

    public static VerificationSummary Compute(ScoreHistogram genuine, ScoreHistogram impostor, IReadOnlyList<double>? fars = null, double tableStep = 0.01)
    {
        if (genuine.Total == 0 || impostor.Total == 0)
            throw new ArgumentException("both same-person and different-person pairs are needed");
        var g = genuine.AtOrAbove();
        var im = impostor.AtOrAbove();
        double nG = genuine.Total, nI = impostor.Total;

        var points = new List<TarAtFar>();
        foreach (var target in fars ?? StandardFars)
        {
            if (target * nI < 1)
            {
                points.Add(new TarAtFar(target, null, null, null, 0,
                    $"needs at least {Math.Ceiling(1 / target):N0} different-person pairs, there are {nI:N0}"));
                continue;
            }
            // The lowest threshold (bin edge) whose FAR is within the target.
            var bin = ScoreHistogram.Bins;
            for (var b = 0; b < ScoreHistogram.Bins; b++)
                if (im[b] <= target * nI) { bin = b; break; }
            var threshold = bin < ScoreHistogram.Bins ? ScoreHistogram.LowerEdge(bin) : 1.0;
            var accepted = bin < ScoreHistogram.Bins ? im[bin] : 0;
            points.Add(new TarAtFar(target, threshold, accepted / nI, (bin < ScoreHistogram.Bins ? g[bin] : 0) / nG, accepted, null));
        }

        // EER: the edge where the false reject rate first reaches the false accept rate.
        double eer = 1, eerThreshold = 1;
        for (var b = 0; b < ScoreHistogram.Bins; b++)
        {
            var far = im[b] / nI;
            var frr = 1 - g[b] / nG;
            if (frr >= far) { eer = (far + frr) / 2; eerThreshold = ScoreHistogram.LowerEdge(b); break; }
        }

        // AUC: P(genuine > impostor) + ½ P(equal bin), summed per bin.
        double auc = 0;
        var gc = genuine.Counts; var ic = impostor.Counts;
        for (var b = 0; b < ScoreHistogram.Bins; b++)
            if (gc[b] != 0) auc += gc[b] * ((double)(nI - im[b]) + 0.5 * ic[b]);
        auc /= nG * nI;

        var table = new List<OperatingPoint>();
        for (var t = 0.0; t <= 1.0 + 1e-9; t += tableStep)
        {
            var b = ScoreHistogram.BinOf((float)Math.Round(t, 6) + 1e-6f);
            table.Add(new OperatingPoint(Math.Round(t, 6), im[b] / nI, g[b] / nG));
        }

        return new VerificationSummary((long)nG, (long)nI, genuine.Min, genuine.Max, impostor.Min, impostor.Max,
            points, eer, eerThreshold, auc, table, Coarse(genuine), Coarse(impostor));
    }

    /// <summary>Shares per 0.02 from −0.2 to 1 (scores below −0.2 are counted in the first bin).</summary>
    private static Distribution Coarse(ScoreHistogram h)
    {
        const double from = -0.2, width = 0.02;
        var share = new double[60];
        var counts = h.Counts;
        for (var b = 0; b < ScoreHistogram.Bins; b++)
        {
            if (counts[b] == 0) continue;
            var i = Math.Clamp((int)Math.Floor((ScoreHistogram.LowerEdge(b) + 5e-5 - from) / width), 0, share.Length - 1);
            share[i] += counts[b];
        }
        for (var i = 0; i < share.Length; i++) share[i] /= h.Total;
        return new Distribution(from, width, share);
    }

    /// <summary>
    /// Accuracy on a listed set at its best threshold. With folds, LFW's protocol: for each fold the
    /// threshold that is best on the other folds, tested on that fold; the mean and standard deviation.
    /// </summary>
    public static PairAccuracy Accuracy(IReadOnlyList<(float Score, bool Same, int Fold)> pairs, int folds)
    {
        if (pairs.Count == 0) throw new ArgumentException("no pairs");
        var best = BestThreshold(pairs);
        var bestAccuracy = AccuracyAt(pairs, best);
        if (folds <= 1) return new PairAccuracy(bestAccuracy, 0, best, 1, pairs.Count);
        var accuracies = new List<double>();
        for (var f = 0; f < folds; f++)
        {
            var train = pairs.Where(p => p.Fold != f).ToList();
            var test = pairs.Where(p => p.Fold == f).ToList();
            if (train.Count == 0 || test.Count == 0) continue;
            accuracies.Add(AccuracyAt(test, BestThreshold(train)));
        }
        var mean = accuracies.Average();
        var sd = Math.Sqrt(accuracies.Sum(a => (a - mean) * (a - mean)) / accuracies.Count);
        return new PairAccuracy(mean, sd, best, accuracies.Count, pairs.Count);
    }

    public static double AccuracyAt(IReadOnlyList<(float Score, bool Same, int Fold)> pairs, double threshold) =>
        pairs.Count(p => p.Score >= threshold == p.Same) / (double)pairs.Count;

    /// <summary>The threshold midway between two neighbouring scores that classifies the most pairs right (the lowest such on ties).</summary>
    public static double BestThreshold(IReadOnlyList<(float Score, bool Same, int Fold)> pairs)
    {
        var sorted = pairs.OrderBy(p => p.Score).ToArray();
        // Threshold below everything: all accepted; correct = genuine count.
        var correct = sorted.Count(p => p.Same);
        var bestCorrect = correct;
        var best = (double)sorted[0].Score - 1e-4;
        for (var i = 0; i < sorted.Length; i++)
        {
            // Moving the threshold above sorted[i] rejects it.
            correct += sorted[i].Same ? -1 : 1;
            if (i + 1 < sorted.Length && sorted[i + 1].Score == sorted[i].Score) continue;
            if (correct > bestCorrect)
            {
                bestCorrect = correct;
                best = i + 1 < sorted.Length ? (sorted[i].Score + (double)sorted[i + 1].Score) / 2 : sorted[i].Score + 1e-4;
            }
        }
        return best;
    }
}

/// <summary>Accuracy on listed pairs: mean (and spread over folds) at the best threshold.</summary>
public sealed record PairAccuracy(double Accuracy, double StandardDeviation, double BestThreshold, int Folds, int Pairs);
