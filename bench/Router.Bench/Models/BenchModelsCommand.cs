using System.CommandLine;
using System.Diagnostics;
using System.Drawing;
using System.Text.Json;
using Router.Abstractions;
using Router.Host.Cli;
using Router.Models;
using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Models.Inference;
using Router.Models.Onnx;

namespace Router.Bench;

/// <summary>
/// `router bench models`: ms per call of every model at 1 and 2 intra-op threads (2 with and
/// without ORT spinning), the session's overhead (copy in, run, copy out) against bare RunWithBinding calls, the per-stage
/// breakdown of one face through decode → detect → landmarks → align → embed on sample1 (the
/// fused preprocessing next to the reference path it replaced), and the end-to-end figures.
/// Every figure is a median over many runs with its min and p90, and the load average is
/// printed next to it: on a shared machine the min is the best estimate of the uncontended
/// cost and the median of what a busy machine gives. Timed A/B pairs (binding vs bare, fused vs
/// reference) are interleaved call by call so that load hits both sides alike.
/// </summary>
internal static class BenchModelsCommand
{
    public static Command Create()
    {
        var runs = new Option<int>("--runs") { Description = "Timed runs per figure", DefaultValueFactory = _ => 50 };
        var batch = new Option<int>("--batch") { Description = "Instead of the per-model table: compare Models:Batching (batches of up to N) with direct calls for the embedder and detector" };
        var clients = new Option<int>("--clients") { Description = "With --batch: client threads calling at once (cameras)", DefaultValueFactory = _ => 8 };
        var threads = new Option<int>("--threads") { Description = "With --batch: ORT intra-op threads", DefaultValueFactory = _ => 2 };
        var maxWait = new Option<double>("--max-wait-ms") { Description = "With --batch: Models:Batching:MaxWaitMs", DefaultValueFactory = _ => new BatchingOptions().MaxWaitMs };
        var provider = new Option<string>("--provider") { Description = "With --batch: cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var command = new Command("models", "Time every face model and the detect+embed pipeline");
        command.Options.Add(runs);
        command.Options.Add(batch);
        command.Options.Add(clients);
        command.Options.Add(threads);
        command.Options.Add(maxWait);
        command.Options.Add(provider);
        command.SetAction(parse => CliErrors.Run(() => parse.GetValue(batch) > 0
            ? RunBatching(new ModelBatchingBench.Settings(parse.GetValue(batch), Math.Max(1, parse.GetValue(clients)), Math.Max(1, parse.GetValue(threads)),
                parse.GetValue(maxWait), Math.Max(5, parse.GetValue(runs)), parse.GetValue(provider) ?? "cpu"))
            : Run(Math.Max(5, parse.GetValue(runs)))));
        return command;
    }

    private static int Run(int runs)
    {
        using var analyzer = new FaceAnalyzer();
        var provider = analyzer.Detector.Session.Provider.ToString().ToLowerInvariant();
        Console.WriteLine($"ONNX Runtime: {OrtRuntime.Description}, provider {provider}");
        var models = Models(analyzer, runs);
        var jpeg = File.ReadAllBytes(Path.Combine(AssetLocator.PhotosDirectory, "sample1.jpg"));
        var stages = Stages(analyzer, jpeg, runs);
        Console.WriteLine();
        Console.WriteLine("End to end, sample1 (1920x1280), its first face; 'detect+align+embed' = the issue's figure: detect (preprocess, run, NMS)");
        Console.WriteLine("+ landmarks (needed for alignment) + alignment warp + embedding, on a decoded frame; 'decode+...' adds the JPEG decode.");
        Console.WriteLine($"{"figure",-44} {"threads",7} {"median",8} {"min",7} {"p90",7} {"load",5}");
        var pipelines = new List<object>();
        foreach (var threads in new[] { 1, 2 })
        {
            using var a = threads == 1 ? null : new FaceAnalyzer(new FaceModelsOptions { IntraOpThreads = threads });
            var an = a ?? analyzer;
            using var decodedOnce = ImageDecoder.Decode(jpeg);
            var frame = decodedOnce.Image;
            void WithoutDecode()
            {
                var faces = an.Detect(frame);
                an.Analyze(frame, faces[0], FaceFeatures.Facen);
            }
            void WithDecode()
            {
                using var decoded = ImageDecoder.Decode(jpeg);
                var faces = an.Detect(decoded.Image);
                an.Analyze(decoded.Image, faces[0], FaceFeatures.Facen);
            }
            foreach (var (name, action) in new (string, Action)[] { ("detect+align+embed (no decode)", WithoutDecode), ("decode+detect+landmarks+align+embed", WithDecode) })
            {
                for (var i = 0; i < 3; i++) action();
                var load = LoadAverage();
                var s = Stats(Time(runs, action));
                Console.WriteLine($"{name,-44} {threads,7} {s.Median,8:F2} {s.Min,7:F2} {s.P90,7:F2} {load,5:F1}");
                pipelines.Add(new { figure = name, threads, median_ms = s.Median, min_ms = s.Min, p90_ms = s.P90, load_average = load });
            }
        }
        Console.WriteLine(JsonSerializer.Serialize(new { onnx_runtime = OrtRuntime.Description, provider, models, stages, pipelines, load_average_end = LoadAverage() }));
        return 0;
    }

    private static int RunBatching(ModelBatchingBench.Settings settings)
    {
        Console.WriteLine($"ONNX Runtime: {OrtRuntime.Description}");
        var results = ModelBatchingBench.Run(settings);
        Console.WriteLine(JsonSerializer.Serialize(new { onnx_runtime = OrtRuntime.Description, batching = results, load_average_end = LoadAverage() }));
        return 0;
    }

    /// <summary>Every model at 1 thread, 2 threads and 2 spinning threads; binding and bare Run interleaved.</summary>
    private static List<object> Models(FaceAnalyzer analyzer, int runs)
    {
        var results = new List<object>();
        Console.WriteLine("Per model (ms per call; 'bare' = RunWithBinding alone on a prebuilt binding, interleaved call by call with the binding's Run)");
        Console.WriteLine($"{"model",-20} {"threads",9} {"median",8} {"min",7} {"p90",7} {"bare med",8} {"bare min",8} {"ovh med",8} {"ovh min",8} {"load",5}");
        foreach (var file in ModelFiles.All)
            foreach (var (threads, spin) in new[] { (1, false), (2, false), (2, true) })
            {
                using var session = analyzer.Open(file, threads, spin);
                using var bareRuns = new BareRuns(session);
                var input = new float[session.InputLength];
                for (var i = 0; i < input.Length; i++) input[i] = (i % 255) / 255f;
                var output = new float[session.OutputLength];
                var n = file == ModelFiles.Expression ? Math.Max(5, runs / 5) : runs;
                for (var i = 0; i < 3; i++) session.Run(input, output);
                bareRuns.Measure(input, 3);
                var load = LoadAverage();
                var timed = new double[n];
                var bare = new double[n];
                for (var i = 0; i < n; i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    session.Run(input, output);
                    timed[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    bare[i] = bareRuns.Measure(input, 1)[0];
                }
                var t = Stats(timed);
                var b = Stats(bare);
                double ovhMed = (t.Median - b.Median) / b.Median * 100, ovhMin = (t.Min - b.Min) / b.Min * 100;
                var label = threads + (spin ? " spin" : "");
                Console.WriteLine($"{file,-20} {label,9} {t.Median,8:F2} {t.Min,7:F2} {t.P90,7:F2} {b.Median,8:F2} {b.Min,8:F2} {ovhMed,7:F1}% {ovhMin,7:F1}% {load,5:F1}");
                results.Add(new
                {
                    model = file, threads, allow_spinning = spin, median_ms = t.Median, min_ms = t.Min, p90_ms = t.P90,
                    bare_median_ms = b.Median, bare_min_ms = b.Min, overhead_percent_median = ovhMed, overhead_percent_min = ovhMin, load_average = load,
                });
            }
        return results;
    }

    /// <summary>One face of sample1 stage by stage, 1 intra-op thread, each stage timed on its own.</summary>
    private static List<object> Stages(FaceAnalyzer analyzer, byte[] jpeg, int runs)
    {
        var results = new List<object>();
        using var decoded = ImageDecoder.Decode(jpeg);
        var frame = decoded.Image;
        var detector = analyzer.Detector;
        var landmarks = analyzer.Landmarks;
        var embedder = analyzer.Embedder;
        var full = new RectangleF(0, 0, frame.Width, frame.Height);
        var detIn = new float[detector.Session.InputLength];
        var detOut = new float[detector.Session.OutputLength];
        var lmIn = new float[landmarks.Session.InputLength];
        var lmOut = new float[landmarks.Session.OutputLength];
        var embIn = new float[embedder.Session.InputLength];
        var embOut = new float[embedder.Session.OutputLength];
        var candidates = new List<(RectangleF, float)>();
        var faces = new List<FaceDetection>();
        detector.Preprocess(frame, full, detIn);
        detector.Session.Run(detIn, detOut);
        detector.Collect(detOut, full, DetectionOptions.Default.ScoreThreshold, candidates);
        FaceDetector.Suppress(candidates, DetectionOptions.Default, frame.Width, frame.Height, faces);
        var region = LandmarkDetector.Region(faces[0].Box);
        LandmarkDetector.Preprocess(frame, region, lmIn);
        landmarks.Session.Run(lmIn, lmOut);
        var points = new PointF[LandmarkDetector.Points];
        LandmarkDetector.Read(lmOut, region, points);
        var templateToImage = FaceAligner.ImageToTemplate(points).Invert();

        Console.WriteLine();
        Console.WriteLine($"Stages, sample1 {frame.Width}x{frame.Height}, first face {faces[0].Box.Width}px, 1 intra-op thread (fused and reference preprocessing interleaved)");
        Console.WriteLine($"{"stage",-44} {"median",8} {"min",7} {"p90",7} {"load",5}");
        void Row(string stage, Action action, int n)
        {
            for (var i = 0; i < 3; i++) action();
            var load = LoadAverage();
            var s = Stats(Time(n, action));
            Console.WriteLine($"{stage,-44} {s.Median,8:F3} {s.Min,7:F3} {s.P90,7:F3} {load,5:F1}");
            results.Add(new { stage, median_ms = s.Median, min_ms = s.Min, p90_ms = s.P90, load_average = load });
        }
        void Pair(string stage, Action fused, Action reference, int n)
        {
            for (var i = 0; i < 3; i++) { fused(); reference(); }
            var load = LoadAverage();
            var tf = new double[n];
            var tr = new double[n];
            for (var i = 0; i < n; i++)
            {
                var start = Stopwatch.GetTimestamp();
                fused();
                tf[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                start = Stopwatch.GetTimestamp();
                reference();
                tr[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            var f = Stats(tf);
            var r = Stats(tr);
            Console.WriteLine($"{stage + " (fused)",-44} {f.Median,8:F3} {f.Min,7:F3} {f.P90,7:F3} {load,5:F1}");
            Console.WriteLine($"{stage + " (reference: image, then pack)",-44} {r.Median,8:F3} {r.Min,7:F3} {r.P90,7:F3} {load,5:F1}");
            results.Add(new { stage, median_ms = f.Median, min_ms = f.Min, p90_ms = f.P90, reference_median_ms = r.Median, reference_min_ms = r.Min, load_average = load });
        }
        var many = runs * 4;
        Row("JPEG decode 1920x1280 (libturbojpeg)", () => { using var d = ImageDecoder.Decode(jpeg); }, runs);
        Row("JPEG decode at 1/4 scale (for comparison)", () => DecodeQuarter(jpeg), runs);
        Pair("detector preprocess 320x240", () => detector.Preprocess(frame, full, detIn), () => ReferencePreprocessing.Detector(detector, frame, full, detIn), many);
        Row("detector run", () => detector.Session.Run(detIn, detOut), runs);
        Row("detector collect + NMS", () =>
        {
            candidates.Clear(); faces.Clear();
            detector.Collect(detOut, full, DetectionOptions.Default.ScoreThreshold, candidates);
            FaceDetector.Suppress(candidates, DetectionOptions.Default, frame.Width, frame.Height, faces);
        }, many);
        Pair("landmark preprocess 64x64 grey", () => LandmarkDetector.Preprocess(frame, region, lmIn), () => ReferencePreprocessing.Landmarks(frame, region, lmIn), many);
        Row("landmark run", () => landmarks.Session.Run(lmIn, lmOut), runs);
        Pair("align warp + embed preprocess 112x112", () => FaceEmbedder.Preprocess(frame, templateToImage, embedder.Order, embIn),
            () => ReferencePreprocessing.Embedder(frame, templateToImage, embedder.Order, embIn), many);
        Row("embed run", () => embedder.Session.Run(embIn, embOut), runs);
        // The per-model table feeds a synthetic ramp; a real face costs more (measured ~15%), so
        // the table understates the pipeline: shown here side by side.
        var synthetic = new float[embIn.Length];
        for (var i = 0; i < synthetic.Length; i++) synthetic[i] = (i % 255) / 255f;
        Row("embed run, synthetic input (per-model table)", () => embedder.Session.Run(synthetic, embOut), runs);

        // Allocation per warm Detect call into a reused list (the video pipeline's per-frame call).
        var reuse = new List<FaceDetection>();
        for (var i = 0; i < 3; i++) { reuse.Clear(); detector.Detect(frame, DetectionOptions.Default, reuse); }
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++) { reuse.Clear(); detector.Detect(frame, DetectionOptions.Default, reuse); }
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / 20.0;
        Console.WriteLine($"managed bytes allocated per warm Detect call: {perCall:F0}");
        results.Add(new { stage = "detect allocated bytes per call", bytes = perCall });
        return results;
    }

    private static void DecodeQuarter(byte[] jpeg)
    {
        using var d = JpegCodec.DecodeScaled(jpeg, 4);
    }

    private static double LoadAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture); }
        catch (IOException) { return double.NaN; }
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

    private static (double Median, double Min, double P90) Stats(double[] times)
    {
        var sorted = times.Order().ToArray();
        return (sorted[sorted.Length / 2], sorted[0], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.9))]);
    }
}
