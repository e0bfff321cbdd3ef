using System.CommandLine;
using System.Diagnostics;
using System.Numerics.Tensors;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Galleries;
using Router.Galleries.Detections;
using Router.Galleries.Engine;
using Router.Galleries.Index;
using Router.Galleries.Storage;

namespace Router.Host.Cli;

/// <summary>
/// `router bench search --faces N`: N clustered 512-d embeddings (identities with noisy
/// samples) stored in a real SQLite file, then cold load, one-query latency (end to end
/// through the engine, and the index scan alone), shared-scan batch throughput and memory
/// per face. The last line is one JSON object with the figures.
/// </summary>
internal static class BenchSearchCommand
{
    private const int Dim = VectorLayout.Dimension;

    public static Command Create()
    {
        var faces = new Option<int>("--faces") { Description = "Faces in the gallery", DefaultValueFactory = _ => 100_000 };
        var queries = new Option<int>("--queries") { Description = "Single queries timed", DefaultValueFactory = _ => 100 };
        var batch = new Option<int>("--batch") { Description = "Queries sharing one scan", DefaultValueFactory = _ => 16 };
        var data = new Option<string?>("--data") { Description = "Folder for the SQLite file (default: a temp folder, deleted after)" };
        var command = new Command("search", "Benchmark gallery search: latency, batch throughput, memory, load and insert rates") { faces, queries, batch, data };
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(faces), parse.GetValue(queries), parse.GetValue(batch), parse.GetValue(data), ct));
        return command;
    }

    private static GalleryEngine NewEngine(string dir, IDetectionCache cache) =>
        new(new SqliteGalleryStore(Path.Combine(dir, "galleries.db")), cache, new RandomIdGenerator(), NullLogger<GalleryEngine>.Instance);

    private static async Task<int> RunAsync(int n, int queryCount, int batchSize, string? dataDir, CancellationToken ct)
    {
        if (n < 100 || queryCount < 1 || batchSize < 1) { Console.Error.WriteLine("--faces ≥ 100, --queries ≥ 1, --batch ≥ 1"); return 2; }
        bool temp = dataDir is null;
        var dir = dataDir ?? Path.Combine(Path.GetTempPath(), "router-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var rng = new Random(42);
            int samplesPerIdentity = 10;
            int identities = Math.Max(1, n / samplesPerIdentity);
            var centers = new float[identities][];
            for (int i = 0; i < identities; i++) centers[i] = RandomUnit(rng);

            // 1. Store N faces (batched transactions) and keep the index in step: the import rate.
            var cache = new MemoryDetectionCache(TimeSpan.FromMinutes(10), 10_000);
            double insertSeconds;
            await using (var engine = NewEngine(dir, cache))
            {
                await engine.CreateGalleryAsync("bench", ct);
                var watch = new Stopwatch();
                const int chunk = 20_000;
                for (int start = 0; start < n; start += chunk)
                {
                    var part = new List<(long, float[])>(chunk);
                    for (int i = start; i < Math.Min(n, start + chunk); i++)
                        part.Add((i + 1, Sample(centers[i / samplesPerIdentity % identities], 0.4 + 0.6 * rng.NextDouble(), rng)));
                    watch.Start();
                    await engine.ImportAsync("bench", part, ct);
                    watch.Stop();
                    Console.Error.Write($"\rstored {Math.Min(n, start + chunk):N0}/{n:N0}");
                }
                insertSeconds = watch.Elapsed.TotalSeconds;
                Console.Error.WriteLine();
            }

            // 2. Cold start: load the index from the file, measuring managed heap growth (the index is all managed;
            //    the process working set is not used because the import phase's freed memory stays mapped).
            long heapBefore = Heap();
            var loadWatch = Stopwatch.StartNew();
            await using var loaded = NewEngine(dir, cache);
            await loaded.StartAsync(ct);
            double loadSeconds = loadWatch.Elapsed.TotalSeconds;
            var index = await loaded.GetIndexAsync("bench", ct);
            long heapAfter = Heap();

            // 3. One query, one thread: end to end (scan + exact re-rank from SQLite) and the scan alone.
            var probes = Enumerable.Range(0, Math.Max(queryCount, batchSize)).Select(_ => Sample(centers[rng.Next(identities)], 0.7, rng)).ToArray();
            var detectionIds = new string[probes.Length];
            for (int i = 0; i < probes.Length; i++)
            {
                detectionIds[i] = Guid.NewGuid().ToString("N");
                await cache.PutAsync(new DetectFace { Id = detectionIds[i], BBox = new BBox(0, 0, 1, 1), Facen = probes[i] }, ct);
            }
            await loaded.ListAsync("bench", [Filters.Detection(detectionIds[0], 0.5)], 10, ct: ct); // warm-up
            var endToEnd = new double[queryCount];
            int hits = 0;
            for (int i = 0; i < queryCount; i++)
            {
                var t = Stopwatch.GetTimestamp();
                var r = await loaded.ListAsync("bench", [Filters.Detection(detectionIds[i], 0.5)], 10, ct: ct);
                endToEnd[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (r.Results.Count > 0) hits++;
            }
            var scanOnly = new double[queryCount];
            var ids = new long[batchSize * 10];
            var scores = new float[batchSize * 10];
            index.SearchBatch(probes[0], 10, ids.AsSpan(0, 10), scores.AsSpan(0, 10));
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < queryCount; i++)
            {
                var t = Stopwatch.GetTimestamp();
                index.SearchBatch(probes[i], 10, ids.AsSpan(0, 10), scores.AsSpan(0, 10));
                scanOnly[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            }

            double scanAllocated = (double)(GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / queryCount;

            // 4. Several queries sharing one scan.
            var packed = new float[batchSize * Dim];
            for (int q = 0; q < batchSize; q++) probes[q].CopyTo(packed, q * Dim);
            index.SearchBatch(packed, 10, ids, scores);
            int rounds = Math.Max(3, queryCount / batchSize);
            var batchWatch = Stopwatch.StartNew();
            for (int r = 0; r < rounds; r++) index.SearchBatch(packed, 10, ids, scores);
            double batchQps = rounds * batchSize / batchWatch.Elapsed.TotalSeconds;

            // 5. Single durable adds (one fsynced transaction each).
            const int adds = 200;
            var addWatch = Stopwatch.StartNew();
            for (int i = 0; i < adds; i++)
                await loaded.AddFaceAsync("bench", null, FaceSource.FromDetection(detectionIds[i % detectionIds.Length]), null, 3, ct);
            double addPerSecond = adds / addWatch.Elapsed.TotalSeconds;

            Array.Sort(endToEnd);
            Array.Sort(scanOnly);
            var result = new Dictionary<string, object>
            {
                ["faces"] = n,
                ["dim"] = Dim,
                ["p50_ms"] = Math.Round(Percentile(endToEnd, 0.50), 2),
                ["p99_ms"] = Math.Round(Percentile(endToEnd, 0.99), 2),
                ["scan_p50_ms"] = Math.Round(Percentile(scanOnly, 0.50), 2),
                ["scan_p99_ms"] = Math.Round(Percentile(scanOnly, 0.99), 2),
                ["scan_alloc_bytes_per_query"] = Math.Round(scanAllocated, 1),
                ["batch_size"] = batchSize,
                ["batch_qps"] = Math.Round(batchQps, 1),
                ["bytes_per_face"] = Math.Round((double)(heapAfter - heapBefore) / n, 1),
                ["load_s"] = Math.Round(loadSeconds, 2),
                ["insert_per_s"] = Math.Round(n / insertSeconds),
                ["durable_add_per_s"] = Math.Round(addPerSecond, 1),
                ["queries_with_hits"] = hits,
                ["avx2"] = System.Runtime.Intrinsics.X86.Avx2.IsSupported,
            };
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        }
        finally
        {
            if (temp)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
            }
        }
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(p * sorted.Length))];

    private static float[] RandomUnit(Random rng)
    {
        var v = new float[Dim];
        for (int i = 0; i < Dim; i++) v[i] = Gaussian(rng);
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }

    /// <summary>A sample of an identity: its centre plus isotropic noise (noise 0.4..1.0 gives cosine ≈ 0.93..0.7 to it).</summary>
    private static float[] Sample(float[] center, double noise, Random rng)
    {
        var v = new float[Dim];
        float scale = (float)(noise / Math.Sqrt(Dim));
        for (int i = 0; i < Dim; i++) v[i] = center[i] + Gaussian(rng) * scale;
        TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
        return v;
    }

    private static float Gaussian(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
}
