using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Router.Abstractions;
using Router.Models;
using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Models.Onnx;

namespace Router.Host.Cli;

/// <summary>
/// `router bench models`: ms per call (median, p90) of every model at 1 and 2 intra-op threads,
/// the binding's overhead against bare native Run calls, and decode+detect+align+embed of sample1.
/// </summary>
internal static class BenchModelsCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Timed runs per figure", DefaultValueFactory = _ => 50 };
        var command = new Command("models", "Time every face model and the detect+embed pipeline");
        command.Options.Add(runs);
        command.SetAction(parse => CliErrors.Run(() => Run(Math.Max(5, parse.GetValue(runs)))));
        return command;
    }

    private static int Run(int runs)
    {
        using var analyzer = new FaceAnalyzer();
        var results = new List<object>();
        Console.WriteLine($"{"model",-20} {"threads",7} {"median ms",10} {"p90 ms",8} {"bare ms",8} {"overhead",9}");
        foreach (var file in ModelFiles.All)
            foreach (var threads in new[] { 1, 2 })
            {
                using var session = analyzer.Open(file, threads);
                var input = new float[session.InputLength];
                for (var i = 0; i < input.Length; i++) input[i] = (i % 255) / 255f;
                var output = new float[session.OutputLength];
                var n = file == ModelFiles.Expression ? Math.Max(5, runs / 5) : runs;
                for (var i = 0; i < 3; i++) session.Run(input, output);
                var timed = Time(n, () => session.Run(input, output));
                var bare = session.MeasureBareRuns(input, n);
                var (med, p90) = Stats(timed);
                var (bareMed, _) = Stats(bare);
                var overhead = (med - bareMed) / bareMed * 100;
                Console.WriteLine($"{file,-20} {threads,7} {med,10:F2} {p90,8:F2} {bareMed,8:F2} {overhead,8:F1}%");
                results.Add(new { model = file, threads, median_ms = med, p90_ms = p90, bare_median_ms = bareMed, overhead_percent = overhead });
            }
        var jpeg = File.ReadAllBytes(Path.Combine(AssetLocator.PhotosDirectory, "sample1.jpg"));
        void Pipeline()
        {
            using var decoded = ImageDecoder.Decode(jpeg);
            var faces = analyzer.Detect(decoded.Image);
            analyzer.Analyze(decoded.Image, faces[0], FaceFeatures.Facen);
        }
        for (var i = 0; i < 3; i++) Pipeline();
        var (pMed, pP90) = Stats(Time(runs, Pipeline));
        Console.WriteLine($"decode+detect+landmarks+align+embed, sample1 (1920x1280), one face, {analyzer.Embedder.Session.Provider} 1 thread: median {pMed:F1} ms, p90 {pP90:F1} ms");
        Console.WriteLine(JsonSerializer.Serialize(new { models = results, pipeline_median_ms = pMed, pipeline_p90_ms = pP90 }));
        return 0;
    }

    private static double[] Time(int n, Action action)
    {
        var times = new double[n];
        for (var i = 0; i < n; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return times;
    }

    private static (double Median, double P90) Stats(double[] times)
    {
        var sorted = times.Order().ToArray();
        return (sorted[sorted.Length / 2], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.9))]);
    }
}
