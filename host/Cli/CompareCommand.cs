using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Router.Abstractions;
using Router.Models.Faces;

namespace Router.Host.Cli;

/// <summary>`router compare A B [--threshold T]`: cosine similarity of the main face of each image.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("image-a") { Description = "First image" };
        var b = new Argument<string>("image-b") { Description = "Second image" };
        // A string, parsed here, so that a bad value is reported as BAD_PARAM JSON like every other error.
        var threshold = new Option<string?>("--threshold") { Description = $"Match threshold in -1..1 (default {MatchThresholds.Verification}: FAR {MatchCalibration.Default.FalseMatchRate(MatchThresholds.Verification):0.#e0} on the shipped calibration)" };
        var command = new Command("compare", "Compare the main face of two images");
        command.Arguments.Add(a);
        command.Arguments.Add(b);
        command.Options.Add(threshold);
        command.SetAction(parse => Run(parse.GetValue(a)!, parse.GetValue(b)!, parse.GetValue(threshold), Console.Out));
        return command;
    }

    public static int Run(string pathA, string pathB, string? thresholdText, TextWriter output) => CliErrors.Run(() =>
    {
        var threshold = MatchThresholds.Verification;
        if (thresholdText != null &&
            (!float.TryParse(thresholdText, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold) || threshold is < -1 or > 1 || float.IsNaN(threshold)))
            throw RouterException.BadParam("threshold", thresholdText, "threshold must be a number in -1..1");
        var bytesA = CliErrors.ReadFile(pathA, "image_a");
        var bytesB = CliErrors.ReadFile(pathB, "image_b");
        using var analyzer = new FaceAnalyzer();
        var embA = MainFaceEmbedding(analyzer, bytesA, "image_a", pathA);
        var embB = MainFaceEmbedding(analyzer, bytesB, "image_b", pathB);
        var similarity = FaceMatcher.Similarity(embA, embB);
        var calibration = MatchCalibration.Default;
        output.WriteLine(JsonSerializer.Serialize(new CompareOutput(similarity, calibration.FalseMatchRate(similarity), threshold,
            calibration.FalseMatchRate(threshold), similarity >= threshold), RouterJson.Options));
        return 0;
    }, output);

    /// <summary>The embedding of the largest face (the higher score on equal size).</summary>
    private static float[] MainFaceEmbedding(FaceAnalyzer analyzer, byte[] bytes, string param, string path)
    {
        using var decoded = Router.Models.Imaging.ImageDecoder.Decode(bytes);
        var faces = analyzer.Detect(decoded.Image);
        if (faces.Count == 0) throw RouterException.BadParam(param, path, $"no face found in {path}");
        var main = faces.OrderByDescending(f => f.Box.Area).ThenByDescending(f => f.Score).First();
        return analyzer.Analyze(decoded.Image, main, FaceFeatures.Facen).Embedding!;
    }

    /// <summary>The similarity with its false match rate, and the threshold with the false match rate it was chosen for.</summary>
    private sealed record CompareOutput(float Similarity, double Far, float Threshold, double ThresholdFar, bool IsMatch);
}
