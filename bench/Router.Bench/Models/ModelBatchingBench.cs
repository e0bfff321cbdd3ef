using System.Diagnostics;
using System.Drawing;
using Router.Models;
using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Models.Inference;
using Router.Models.Onnx;

namespace Router.Bench;

/// <summary>
/// <c>router bench models --batch N --clients K</c>: whether Models:Batching pays on this machine.
/// First the model alone: ms per input for one call of batch 1..N (the most batching can give).
/// Then K client threads (cameras) calling the model at once, directly (each its own call, as
/// with batching off) and through an <see cref="InferenceQueue"/> (batches of up to N gathered
/// within the wait), for 1 client and for K: per-face latency as the caller sees it (median, p90)
/// and throughput in faces (or frames) per second. The inputs are real: sample1's frame for the
/// detector and its first face, aligned, for the embedder.
/// </summary>
internal static class ModelBatchingBench
{
    public sealed record Settings(int MaxBatch, int Clients, int Threads, double MaxWaitMs, int CallsPerClient, string Provider);

    public static List<object> Run(Settings s)
    {
        var results = new List<object>();
        var options = new FaceModelsOptions { IntraOpThreads = s.Threads, ExecutionProvider = s.Provider, Batching = new BatchingOptions { Enabled = true } };
        using var analyzer = new FaceAnalyzer(options);
        var (detectorInput, embedderInput) = RealInputs(analyzer);
        Console.WriteLine($"Batching, ORT intra-op threads {s.Threads}, provider {analyzer.Detector.Session.Provider.ToString().ToLowerInvariant()}, {Environment.ProcessorCount} cores; {s.CallsPerClient} calls per client");
        foreach (var (file, input, unit) in new[] { (ModelFiles.Embedding, embedderInput, "faces"), (ModelFiles.Detector, detectorInput, "frames") })
        {
            using var session = analyzer.Open(file, s.Threads);
            Console.WriteLine();
            Console.WriteLine($"{file}: one call of a batch of n (ms per input; median and min over the runs)");
            Console.WriteLine($"{"n",4} {"ms/call",8} {"ms/input",9} {"min/input",9} {"load",5}");
            using (var binding = session.CreateBatchBinding(s.MaxBatch))
            {
                for (var i = 0; i < s.MaxBatch; i++) input.CopyTo(binding.Input(i));
                foreach (var n in BatchSizes(s.MaxBatch))
                {
                    for (var i = 0; i < 2; i++) binding.Run(n);
                    var runs = Math.Max(5, s.CallsPerClient * 2 / n);
                    var times = new double[runs];
                    var load = LoadAverage();
                    for (var i = 0; i < runs; i++)
                    {
                        var start = Stopwatch.GetTimestamp();
                        binding.Run(n);
                        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                    }
                    var (median, min, _) = Stats(times);
                    Console.WriteLine($"{n,4} {median,8:F2} {median / n,9:F2} {min / n,9:F2} {load,5:F1}");
                    results.Add(new { model = file, figure = "one batch call", batch = n, threads = s.Threads, ms_per_call = median, ms_per_input = median / n, min_ms_per_input = min / n, load_average = load });
                }
            }

            Console.WriteLine($"{file}: {s.Clients} clients at once, each call's latency as its caller sees it; queue: MaxBatch {s.MaxBatch}, MaxWaitMs {s.MaxWaitMs}");
            Console.WriteLine($"{"path",-8} {"clients",7} {"median",8} {"p90",8} {unit + "/s",9} {"mean batch",10} {"load",5}");
            foreach (var clients in s.Clients == 1 ? [1] : new[] { 1, s.Clients })
            {
                var direct = Clients(clients, s.CallsPerClient, input, session);
                Row("direct", clients, direct, 1, unit, file, s, results);
                using var queue = new InferenceQueue(session, new BatchingOptions { MaxBatch = s.MaxBatch, MaxWaitMs = s.MaxWaitMs, QueueCapacity = Math.Max(s.MaxBatch, 2 * clients), QueueWaitMs = 60_000 });
                var queued = Clients(clients, s.CallsPerClient, input, queue);
                Row("queue", clients, queued, queue.Batches == 0 ? 0 : (double)queue.Completed / queue.Batches, unit, file, s, results);
            }
        }
        return results;
    }

    private static void Row(string path, int clients, (double[] Latencies, double WallSeconds, double Load) r, double meanBatch, string unit, string file, Settings s, List<object> results)
    {
        var (median, _, p90) = Stats(r.Latencies);
        var perSecond = r.Latencies.Length / r.WallSeconds;
        Console.WriteLine($"{path,-8} {clients,7} {median,8:F2} {p90,8:F2} {perSecond,9:F1} {meanBatch,10:F2} {r.Load,5:F1}");
        results.Add(new
        {
            model = file, figure = "clients", path, clients, threads = s.Threads, max_batch = s.MaxBatch, max_wait_ms = s.MaxWaitMs,
            median_ms = median, p90_ms = p90, per_second = perSecond, mean_batch = meanBatch, load_average = r.Load,
        });
    }

    /// <summary>Every client thread makes <paramref name="calls"/> calls; the latency of each and the wall time of all.</summary>
    private static (double[] Latencies, double WallSeconds, double Load) Clients(int clients, int calls, float[] input, IInferenceRunner runner)
    {
        var latencies = new double[clients * calls];
        var output = new float[clients][];
        for (var c = 0; c < clients; c++) output[c] = new float[runner.OutputLength];
        for (var i = 0; i < 2; i++) runner.Run(input, output[0], CancellationToken.None);
        using var ready = new Barrier(clients + 1);
        var threads = Enumerable.Range(0, clients).Select(c => new Thread(() =>
        {
            ready.SignalAndWait();
            for (var i = 0; i < calls; i++)
            {
                var start = Stopwatch.GetTimestamp();
                runner.Run(input, output[c], CancellationToken.None);
                latencies[c * calls + i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })).ToList();
        foreach (var t in threads) t.UnsafeStart();
        var load = LoadAverage();
        ready.SignalAndWait();
        var wall = Stopwatch.GetTimestamp();
        foreach (var t in threads) t.Join();
        return (latencies, Stopwatch.GetElapsedTime(wall).TotalSeconds, load);
    }

    private static IEnumerable<int> BatchSizes(int max)
    {
        for (var n = 1; n < max; n *= 2) yield return n;
        yield return max;
    }

    /// <summary>The detector's input for sample1 and the embedder's for its first face, aligned as the pipeline aligns it.</summary>
    private static (float[] Detector, float[] Embedder) RealInputs(FaceAnalyzer analyzer)
    {
        using var decoded = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(AssetLocator.PhotosDirectory, "sample1.jpg")));
        var frame = decoded.Image;
        var detector = new float[analyzer.Detector.Session.InputLength];
        analyzer.Detector.Preprocess(frame, new RectangleF(0, 0, frame.Width, frame.Height), detector);
        var face = analyzer.Detect(frame)[0];
        var points = analyzer.Landmarks.Detect(frame, face.Box);
        var embedder = new float[analyzer.Embedder.Session.InputLength];
        FaceEmbedder.Preprocess(frame, FaceAligner.ImageToTemplate(points, new FaceModelsOptions().ResolveAlignment()).Invert(), analyzer.Embedder.Order, embedder);
        return (detector, embedder);
    }

    private static double LoadAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture); }
        catch (IOException) { return double.NaN; }
    }

    private static (double Median, double Min, double P90) Stats(double[] times)
    {
        var sorted = times.Order().ToArray();
        return (sorted[sorted.Length / 2], sorted[0], sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.9))]);
    }
}
