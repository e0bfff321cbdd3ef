using ScottPlot;
using SkiaSharp;

namespace Router.Host.Evaluation;

/// <summary>The PNG of an evaluation: the ROC curve (TAR against FAR, log scale) beside the two score histograms.</summary>
public static class EvalPlot
{
    public static void Save(VerificationSummary summary, string title, string path, int width = 1400, int height = 560)
    {
        var roc = new Plot();
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var p in summary.Table.OrderBy(p => p.Threshold))
        {
            if (p.Far <= 0) continue;
            xs.Add(Math.Log10(p.Far));
            ys.Add(p.Tar * 100);
        }
        var line = roc.Add.ScatterLine(xs.ToArray(), ys.ToArray());
        line.LineWidth = 2;
        line.LegendText = "ROC (threshold 0 .. 1 in steps of 0.01)";
        foreach (var t in summary.TarAtFar.Where(t => t.Tar != null))
        {
            var m = roc.Add.Marker(Math.Log10(t.TargetFar), t.Tar!.Value * 100);
            m.Size = 8;
            var label = roc.Add.Text($"{t.Tar * 100:F1}% @ {t.Threshold:F3}", Math.Log10(t.TargetFar), t.Tar.Value * 100);
            label.LabelFontSize = 11;
            label.OffsetY = 12;
        }
        roc.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            LabelFormatter = v => $"1e{v:0}",
            IntegerTicksOnly = true,
        };
        roc.Axes.SetLimitsX(Math.Floor(Math.Log10(1.0 / summary.ImpostorPairs)), 0);
        roc.Axes.SetLimitsY(Math.Max(0, ys.DefaultIfEmpty(0).Min() - 5), 101);
        roc.Title($"ROC: {title}");
        roc.XLabel("false accept rate (different-person pairs accepted)");
        roc.YLabel("true accept rate, %");
        roc.ShowLegend(Alignment.LowerRight);

        var hist = new Plot();
        AddDistribution(hist, summary.Impostor, $"different people ({summary.ImpostorPairs:N0} pairs)", Colors.OrangeRed);
        AddDistribution(hist, summary.Genuine, $"same person ({summary.GenuinePairs:N0} pairs)", Colors.SteelBlue);
        hist.Title("similarity (cosine) distributions");
        hist.XLabel("similarity");
        hist.YLabel("share of pairs per 0.02, %");
        hist.ShowLegend(Alignment.UpperRight);

        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        surface.Canvas.Clear(SKColors.White);
        var half = width / 2;
        foreach (var (plot, x) in new[] { (roc, 0), (hist, half) })
        {
            using var bitmap = SKBitmap.Decode(plot.GetImage(half, height).GetImageBytes());
            surface.Canvas.DrawBitmap(bitmap, x, 0);
        }
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory != null) Directory.CreateDirectory(directory);
        File.WriteAllBytes(path, data.ToArray());
    }

    private static void AddDistribution(Plot plot, Distribution d, string label, Color color)
    {
        var bars = new List<Bar>();
        for (var i = 0; i < d.Share.Length; i++)
            bars.Add(new Bar { Position = d.From + (i + 0.5) * d.BinWidth, Value = d.Share[i] * 100, Size = d.BinWidth * 0.95, FillColor = color.WithAlpha(0.6), LineWidth = 0 });
        var series = plot.Add.Bars(bars);
        series.LegendText = label;
        series.Color = color.WithAlpha(0.6);
    }
}
