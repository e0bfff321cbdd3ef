using System.Text.Json;
using Router.Abstractions;

namespace Router.Host.Evaluation;

/// <summary>Writes the calibration file that <see cref="MatchCalibration"/> reads: the all-pairs table with where it came from.</summary>
public static class CalibrationWriter
{
    public static void Write(string path, VerificationSummary all, EvalReport report)
    {
        var file = new CalibrationFile
        {
            Source = $"router eval {report.Folder}{(report.PairsFile != null ? $" --pairs {report.PairsFile}" : "")}: every pair of {report.PhotosWithFace} photos with a face ({report.NoFace.Count} without)",
            Date = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Pipeline = $"decode, detect, 68 landmarks, {report.Pipeline.Alignment} alignment, fr_feature{(report.Pipeline.Mirror ? " + mirror" : "")}; face per photo: {report.FaceChoice}",
            GenuinePairs = all.GenuinePairs,
            ImpostorPairs = all.ImpostorPairs,
            Points = all.Table.Select(p => new CalibrationPoint(p.Threshold, p.Far, Math.Round(p.Tar, 6))).ToList(),
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory != null) Directory.CreateDirectory(directory);
        File.WriteAllText(path, JsonSerializer.Serialize(file, CalibrationFile.JsonOptions) + "\n");
    }
}
