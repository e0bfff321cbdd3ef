using System.CommandLine;
using System.Text.Json;
using Router.Abstractions;
using Router.Models.Faces;

namespace Router.Host.Cli;

/// <summary>`router detect IMAGE [--gender] ...`: the faces of one image and the asked-for features, as JSON.</summary>
internal static class DetectCommand
{
    private static readonly (string Name, FaceFeatures Feature, string Help)[] Flags =
    [
        ("--facen", FaceFeatures.Facen, "Compute the face embedding"),
        ("--gender", FaceFeatures.Gender, "Estimate gender"),
        ("--age", FaceFeatures.Age, "Estimate age"),
        ("--emotions", FaceFeatures.Emotions, "Estimate emotions (slow model, ~65 ms a face)"),
        ("--liveness", FaceFeatures.Liveness, "Estimate liveness"),
        ("--quality", FaceFeatures.Quality, "Face quality score and traits"),
        ("--pose", FaceFeatures.Pose, "Head pose from the pose model"),
        ("--eyes", FaceFeatures.Eyes, "Closed-eye state"),
    ];

    public static Command Create()
    {
        var image = new Argument<string>("image") { Description = "Image file: JPEG, PNG, WEBP, BMP or GIF" };
        var returnFacen = new Option<bool>("--return-facen") { Description = "Print the embedding (implies --facen)" };
        var tiles = new Option<bool>("--tiles") { Description = "Also detect on tiles, for small faces in large frames" };
        var command = new Command("detect", "Detect faces in an image and print them as JSON");
        command.Arguments.Add(image);
        var flagOptions = Flags.Select(f => (Option: new Option<bool>(f.Name) { Description = f.Help }, f.Feature)).ToList();
        foreach (var (option, _) in flagOptions) command.Options.Add(option);
        command.Options.Add(returnFacen);
        command.Options.Add(tiles);
        command.SetAction(parse =>
        {
            var features = FaceFeatures.Detection;
            foreach (var (option, feature) in flagOptions)
                if (parse.GetValue(option)) features |= feature;
            var withFacen = parse.GetValue(returnFacen);
            if (withFacen) features |= FaceFeatures.Facen;
            return Run(parse.GetValue(image)!, features, withFacen, parse.GetValue(tiles), Console.Out);
        });
        return command;
    }

    public static int Run(string imagePath, FaceFeatures features, bool returnFacen, bool tiles, TextWriter output) => CliErrors.Run(() =>
    {
        var bytes = CliErrors.ReadFile(imagePath, "image");
        using var analyzer = new FaceAnalyzer();
        var result = analyzer.AnalyzeImage(bytes, features, DetectionOptions.Default with { Tiles = tiles });
        var body = new DetectOutput(result.Width, result.Height, result.Orientation,
            result.Faces.Select(f => new DetectedFace(
                new BoxOutput(f.Detection.Box.Left, f.Detection.Box.Top, f.Detection.Box.Right, f.Detection.Box.Bottom),
                f.Detection.Score, f.Attributes, returnFacen ? f.Embedding : null)).ToList());
        output.WriteLine(JsonSerializer.Serialize(body, RouterJson.Options));
        return 0;
    }, output);

    private sealed record DetectOutput(int Width, int Height, int Orientation, IReadOnlyList<DetectedFace> Faces);
    private sealed record DetectedFace(BoxOutput Bbox, float DetectionScore, FaceAttributes Features, float[]? Facen);
    private sealed record BoxOutput(int Left, int Top, int Right, int Bottom);
}
