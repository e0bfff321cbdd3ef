using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Router.Abstractions;
using Router.Host.Evaluation;
using Router.Models.Faces;

namespace Router.Host.Cli;

/// <summary>
/// `router eval FOLDER [--pairs FILE]`: recognition measured on labelled photos through the
/// product's own pipeline (see <see cref="RecognitionEvaluation"/>).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("folder") { Description = "Photos: one sub-folder per person (LFW layout); pair paths are relative to it" };
        var pairs = new Option<string?>("--pairs") { Description = "Pairs list: LFW pairs*.txt, or CSV file_x,file_y,same" };
        var face = new Option<string>("--face") { Description = "Which face of a photo counts: center (nearest the centre) or largest", DefaultValueFactory = _ => "center" };
        var alignment = new Option<string>("--alignment") { Description = "eyes-nose or five-point", DefaultValueFactory = _ => new FaceModelsOptions().Alignment };
        var mirror = new Option<bool>("--mirror") { Description = "Average the embedding of the mirror image too (Models:MirrorAugment)" };
        var rescale = new Option<double?>("--rescale") { Description = "Degrade each photo first: scale factor (e.g. 0.5), as a camera farther away" };
        var jpegQuality = new Option<int?>("--jpeg-quality") { Description = "With --rescale: JPEG quality of the degraded photo (default 75)" };
        var threshold = new Option<string?>("--threshold") { Description = $"Threshold for the listed pairs and the curves (default {MatchThresholds.Verification})" };
        var json = new Option<bool>("--json") { Description = "Print the whole report as JSON" };
        var plot = new Option<string?>("--plot") { Description = "PNG with the ROC curve and the score histograms (default eval-roc.png; 'none' for no plot)" };
        var cache = new Option<string?>("--cache") { Description = "Folder for cached embeddings (default .cache/eval)" };
        var noAllPairs = new Option<bool>("--listed-only") { Description = "Score only the listed pairs, not every pair of the folder's photos" };
        var writeCalibration = new Option<string?>("--write-calibration") { Description = "Write the threshold → FAR/TAR table of all pairs to this JSON file" };
        var command = new Command("eval", "Measure recognition on labelled photos: accuracy, TAR at FAR, EER, score distributions");
        command.Arguments.Add(folder);
        foreach (var o in new Option[] { pairs, face, alignment, mirror, rescale, jpegQuality, threshold, json, plot, cache, noAllPairs, writeCalibration })
            command.Options.Add(o);
        command.SetAction(parse => Run(new Arguments(parse.GetValue(folder)!, parse.GetValue(pairs), parse.GetValue(face)!, parse.GetValue(alignment)!,
            parse.GetValue(mirror), parse.GetValue(rescale), parse.GetValue(jpegQuality), parse.GetValue(threshold), parse.GetValue(json),
            parse.GetValue(plot), parse.GetValue(cache), !parse.GetValue(noAllPairs), parse.GetValue(writeCalibration)), Console.Out, Console.Error));
        return command;
    }

    public sealed record Arguments(string Folder, string? Pairs, string Face, string Alignment, bool Mirror, double? Rescale, int? JpegQuality,
        string? Threshold, bool Json, string? Plot, string? Cache, bool AllPairs, string? WriteCalibration);

    public static int Run(Arguments a, TextWriter output, TextWriter progress) => CliErrors.Run(() =>
    {
        var choice = a.Face.ToLowerInvariant() switch
        {
            "center" or "centre" => FaceChoice.Center,
            "largest" => FaceChoice.Largest,
            _ => throw RouterException.BadParam("face", a.Face, "face must be center or largest"),
        };
        var threshold = (double)MatchThresholds.Verification;
        if (a.Threshold != null &&
            (!double.TryParse(a.Threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold) || threshold is < -1 or > 1 || double.IsNaN(threshold)))
            throw RouterException.BadParam("threshold", a.Threshold, "threshold must be a number in -1..1");
        if (a.Rescale is { } s && (s is <= 0 or > 4 || double.IsNaN(s))) throw RouterException.BadParam("rescale", s, "rescale must be in (0, 4]");
        if (a.JpegQuality is { } q && q is < 1 or > 100) throw RouterException.BadParam("jpeg_quality", q, "jpeg quality must be 1..100");
        var models = new FaceModelsOptions { Alignment = a.Alignment };
        models.MirrorAugment = a.Mirror;
        models.Validate();
        var degradation = a.Rescale is { } scale ? new Degradation(scale, a.JpegQuality ?? 75) : null;
        var request = new EvalRequest(a.Folder, a.Pairs, choice, models, degradation, a.Cache ?? Path.Combine(".cache", "eval"), a.AllPairs, threshold);

        var bar = new ProgressBar(progress);
        var report = RecognitionEvaluation.Run(request, bar.Report);
        bar.Done();

        if (a.Json) output.WriteLine(JsonSerializer.Serialize(report, RouterJson.Options));
        else output.Write(EvalTextReport.Format(report));

        if (report.AllPairs is { } all)
        {
            var plotPath = a.Plot ?? "eval-roc.png";
            if (!plotPath.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                EvalPlot.Save(all, $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(report.Folder))}, {report.Pipeline.Alignment}{(report.Pipeline.Mirror ? " + mirror" : "")}", plotPath);
                if (!a.Json) output.WriteLine($"plot         {Path.GetFullPath(plotPath)}");
            }
            if (a.WriteCalibration != null)
            {
                CalibrationWriter.Write(a.WriteCalibration, all, report);
                if (!a.Json) output.WriteLine($"calibration  {Path.GetFullPath(a.WriteCalibration)}");
            }
        }
        else if (a.WriteCalibration != null)
            throw RouterException.BadParam("write_calibration", a.WriteCalibration, "a calibration needs all pairs of the folder (not --listed-only) with both same-person and different-person pairs");
        return 0;
    }, output);

    /// <summary>A progress bar on standard error: redrawn in place on a terminal, a line per tenth otherwise.</summary>
    private sealed class ProgressBar(TextWriter writer)
    {
        private readonly object _gate = new();
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private readonly bool _terminal = !Console.IsErrorRedirected;
        private int _lastShown = -1;
        private bool _any;

        public void Report(int done, int total)
        {
            var step = _terminal ? Math.Max(1, total / 200) : Math.Max(1, total / 10);
            if (done % step != 0 && done != total) return;
            lock (_gate)
            {
                if (done <= _lastShown) return;
                _lastShown = done;
                _any = true;
                var width = 30;
                var filled = (int)((long)done * width / Math.Max(1, total));
                var rate = done / Math.Max(0.001, _clock.Elapsed.TotalSeconds);
                var eta = (total - done) / Math.Max(0.001, rate);
                var line = $"embedding [{new string('#', filled)}{new string('.', width - filled)}] {done}/{total} photos, {rate:F1}/s, {eta:F0} s left";
                if (_terminal) writer.Write("\r" + line);
                else writer.WriteLine(line);
            }
        }

        public void Done()
        {
            if (_any && _terminal) writer.WriteLine();
        }
    }
}
