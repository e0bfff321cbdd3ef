using System.Globalization;
using System.Text;
using Router.Abstractions;

namespace Router.Host.Evaluation;

/// <summary>The human-readable form of an <see cref="EvalReport"/>.</summary>
public static class EvalTextReport
{
    public static string Format(EvalReport r)
    {
        var s = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        s.AppendLine(c, $"photos       {r.Folder}: {r.Photos} evaluated, {r.PhotosWithFace} with a face ({r.PhotosFromCache} embeddings from the cache)");
        s.AppendLine(c, $"pipeline     decode, detect, 68 landmarks, {r.Pipeline.Alignment} alignment, embed{(r.Pipeline.Mirror ? " + mirror" : "")}; face per photo: {r.FaceChoice}{(r.Pipeline.Degradation is { } d ? $"; photos degraded: {d}" : "")}");
        if (r.NoFace.Count > 0)
        {
            s.AppendLine(c, $"no face      {r.NoFace.Count} photos:");
            foreach (var f in r.NoFace.Take(20)) s.AppendLine(c, $"  {f.File}: {f.Code} {f.Reason}");
            if (r.NoFace.Count > 20) s.AppendLine(c, $"  ... and {r.NoFace.Count - 20} more (--json lists all)");
        }
        foreach (var p in r.PairProblems.Take(20)) s.AppendLine(c, $"pairs list   {p.File}:{p.Line}: {p.Code} {p.Reason}");
        if (r.ListedPairs is { } l)
        {
            s.AppendLine();
            s.AppendLine(c, $"listed pairs {r.PairsFile}: {l.Evaluated} of {l.Pairs} evaluated ({l.SkippedNoFace} without a face on one side)");
            if (l.BestThreshold is { } b)
                s.AppendLine(b.Folds > 1
                    ? $"  accuracy   {b.Accuracy * 100:F2}% ± {b.StandardDeviation * 100:F2} ({b.Folds}-fold, threshold chosen on the other folds); best threshold on all {b.BestThreshold:F3}"
                    : $"  accuracy   {b.Accuracy * 100:F2}% at the best threshold {b.BestThreshold:F3} (chosen on these pairs: one fold)");
            if (l.AtThreshold is { } t)
                s.AppendLine(c, $"  at {t.Threshold:F3}   accuracy {t.Accuracy * 100:F2}%: {t.FalseRejects} same-person pairs missed, {t.FalseAccepts} different-person pairs accepted");
        }
        if (r.AllPairs is { } a)
        {
            s.AppendLine();
            s.AppendLine(c, $"all pairs    {a.GenuinePairs:N0} same-person, {a.ImpostorPairs:N0} different-person");
            s.AppendLine(c, $"  same       scores {a.GenuineMin:F3} .. {a.GenuineMax:F3}");
            s.AppendLine(c, $"  different  scores {a.ImpostorMin:F3} .. {a.ImpostorMax:F3}");
            s.AppendLine(c, $"  EER        {a.Eer * 100:F2}% at {a.EerThreshold:F3}; AUC {a.Auc:F5}");
            s.AppendLine("  FAR        threshold  TAR      different-person pairs accepted");
            foreach (var p in a.TarAtFar)
                s.AppendLine(p.NotMeasurable != null
                    ? $"  {p.TargetFar,-9:0e0}  not measurable: {p.NotMeasurable}"
                    : $"  {p.TargetFar,-9:0e0}  {p.Threshold,9:F4}  {p.Tar * 100,6:F2}%  {p.ImpostorsAccepted:N0} (FAR {p.Far:0.0e0})");
            s.AppendLine("  distributions (share of pairs per 0.1 of score):");
            s.AppendLine("    score      " + string.Join(" ", Enumerable.Range(0, 12).Select(i => (-0.2 + i * 0.1).ToString("+0.0;-0.0", c).PadLeft(6))));
            s.AppendLine("    same       " + Coarse(a.Genuine, c));
            s.AppendLine("    different  " + Coarse(a.Impostor, c));
        }
        Curve(s, c, "same-person score by the smaller face's height (px)", r.GenuineByFaceSize, r.Threshold, "F0");
        Curve(s, c, "same-person score by the lower quality score", r.GenuineByQuality, r.Threshold, "F1");
        Curve(s, c, "same-person score by the more turned face (landmark yaw, degrees)", r.GenuineByYaw, r.Threshold, "F0");
        if (r.Grouping.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("grouping (what Visitors would make of the photos, one by one, at each threshold):");
            s.AppendLine("  threshold  people split (of those with 2+ photos)  visitors  mixing people  photos in a wrong visitor");
            foreach (var g in r.Grouping)
                s.AppendLine(c, $"  {g.Threshold,9:F2}  {g.PeopleSplit,5} of {g.PeopleWithSeveralPhotos,-5} ({g.PeopleSplit * 100.0 / Math.Max(1, g.PeopleWithSeveralPhotos),5:F1}%)         {g.Visitors,8}  {g.VisitorsMixingPeople,13}  {g.PhotosInWrongVisitor,9}");
        }
        if (r.NegativeCorrection.Count > 0)
        {
            s.AppendLine();
            s.AppendLine(c, $"\"this is not X\" (each person's closest stranger photo stored as a negative; stranger's other photos matching at ≥ {RecognitionEvaluation.NegativeFalseMatchThreshold:F2}, own photos at ≥ {MatchThresholds.Identification:F2}):");
            s.AppendLine("     margin  false matches stopped  true matches lost");
            foreach (var n in r.NegativeCorrection)
                s.AppendLine(c, $"  {n.Margin,9:F2}  {n.FalseMatchesStopped,6} of {n.FalseMatches,-6} ({n.FalseMatchesStopped * 100.0 / Math.Max(1, n.FalseMatches),5:F1}%)  {n.TrueMatchesLost,5} of {n.TrueMatches,-5} ({n.TrueMatchesLost * 100.0 / Math.Max(1, n.TrueMatches),5:F2}%)");
        }
        s.AppendLine();
        s.AppendLine(c, $"time         embedding {r.EmbedSeconds:F1} s, scoring {r.ScoreSeconds:F1} s");
        return s.ToString();
    }

    private static void Curve(StringBuilder s, CultureInfo c, string title, IReadOnlyList<CurvePoint> points, double threshold, string format)
    {
        if (points.Count == 0) return;
        s.AppendLine();
        s.AppendLine(c, $"{title}:");
        s.AppendLine(c, $"  range          pairs   mean    min     accepted at {threshold:F3}");
        foreach (var p in points)
        {
            var to = p.To >= 1000 ? "+" : $"..{p.To.ToString(format, c)}";
            s.AppendLine(c, $"  {(p.From.ToString(format, c) + to),-14} {p.Pairs,6}  {p.MeanScore,6:F3}  {p.MinScore,6:F3}  {p.TarAtThreshold * 100,6:F1}%");
        }
    }

    private static string Coarse(Distribution d, CultureInfo c)
    {
        // The 0.02 bins folded into 0.1 bins for the terminal.
        var cells = new List<string>();
        for (var i = 0; i < d.Share.Length; i += 5)
            cells.Add((d.Share.Skip(i).Take(5).Sum() * 100).ToString("F1", c).PadLeft(5) + "%");
        return string.Join(" ", cells);
    }
}
