using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Galleries;
using Router.Galleries.Detections;
using Router.Galleries.Engine;
using Router.Galleries.Index;
using Router.Galleries.Query;
using Router.Galleries.Storage;

namespace Router.Bench;

/// <summary>
/// `router bench search --faces N`: real embeddings (the sample photos' faces and variants of
/// them, and an optional folder of photos) hidden in a background of N face-like embeddings
/// built around real ones (<see cref="FaceBackground"/>), stored in a real SQLite file; then
/// cold load (rebuilt from the store, then from the index snapshot the rebuild wrote), one-query latency (end to end through the engine, and the index scan alone),
/// recall@1 and recall@10 of the default search against the exact scan with every real
/// embedding as a query, the same for other first-stage candidate counts, shared-scan batch
/// throughput and memory per face. The last line is one JSON object with the figures.
/// `--crossover` instead times the exact and the two-stage scan on in-memory galleries of
/// growing size (where the switch between them belongs).
/// </summary>
internal static class BenchSearchCommand
{
    private const int Dim = VectorLayout.Dimension;
    private const int CopiesPerPerson = 3;

    public static Command Create()
    {
        var faces = new Option<int>("--faces") { Description = "Faces in the gallery", DefaultValueFactory = _ => 100_000 };
        var queries = new Option<int>("--queries") { Description = "Single queries timed", DefaultValueFactory = _ => 200 };
        var batch = new Option<int>("--batch") { Description = "Queries sharing one scan", DefaultValueFactory = _ => 16 };
        var data = new Option<string?>("--data") { Description = "Folder for the SQLite file (default: a temp folder, deleted after); a store of the same size left there by an earlier run is reused" };
        var candidates = new Option<string>("--candidates") { Description = "First-stage candidate counts whose recall is measured too (comma-separated)", DefaultValueFactory = _ => "500,1000,4000" };
        var photos = new Option<string?>("--photos") { Description = "Folder of more photos whose faces join the queries (e.g. ../shared/data/lfw-dev/images)" };
        var photoLimit = new Option<int>("--photo-limit") { Description = "At most this many photos from --photos", DefaultValueFactory = _ => 500 };
        var crossover = new Option<bool>("--crossover") { Description = "Time the exact and the two-stage scan on in-memory galleries of growing size instead" };
        var crashChanges = new Option<int>("--crash-changes") { Description = "Faces added after the snapshot before a simulated crash, replayed from the change log at the next start (0: skip)", DefaultValueFactory = _ => 10_000 };
        var variants = new Option<bool>("--variants") { Description = "Compare first-stage codes (sign codes with 0-3 rotation rounds, 4-bit codes) on an in-memory gallery of --faces instead" };
        var command = new Command("search", "Benchmark gallery search: latency, recall against the exact scan, memory, load and insert rates")
            { faces, queries, batch, data, candidates, photos, photoLimit, crashChanges, crossover, variants };
        command.SetAction((parse, ct) => parse.GetValue(crossover)
            ? Task.FromResult(Crossover(parse.GetValue(photos), parse.GetValue(photoLimit)))
            : parse.GetValue(variants)
            ? Task.FromResult(Variants(parse.GetValue(faces), parse.GetValue(candidates)!, parse.GetValue(photos), parse.GetValue(photoLimit)))
            : RunAsync(parse.GetValue(faces), parse.GetValue(queries), parse.GetValue(batch), parse.GetValue(data),
                parse.GetValue(candidates)!, parse.GetValue(photos), parse.GetValue(photoLimit), parse.GetValue(crashChanges), ct));
        return command;
    }

    private static GalleryEngine NewEngine(string dir, IDetectionCache cache) =>
        new(new SqliteGalleryStore(Path.Combine(dir, "galleries.db")), cache, new RandomIdGenerator(), NullLogger<GalleryEngine>.Instance);

    /// <summary>The real faces (queries), and a background around their first embedding per person.</summary>
    private static (List<RealEmbeddings.Face> Real, FaceBackground Background, float[][] Originals) Prepare(string? photos, int photoLimit)
    {
        var watch = Stopwatch.StartNew();
        var real = RealEmbeddings.Load(photos, photoLimit);
        var originals = real.GroupBy(f => f.Person).Select(g => g.First().Vector).ToArray();
        Console.Error.WriteLine($"{real.Count} real embeddings of {originals.Length} faces in {watch.Elapsed.TotalSeconds:F1} s");
        return (real, new FaceBackground(originals, 42), originals);
    }

    /// <summary>
    /// Face i of the bench gallery (ids are i + 1): the background, but for evenly spread slots
    /// that hold other shots of the real faces (<see cref="CopiesPerPerson"/> each). With
    /// <paramref name="strangersToo"/> false, odd persons' slots hold background instead.
    /// </summary>
    private static float[] GalleryFace(long i, long n, FaceBackground background, float[][] originals, bool strangersToo = true)
    {
        var v = new float[Dim];
        int person = CopyOf(i, n, originals.Length);
        if (person >= 0 && (strangersToo || !IsStranger(person)))
            FaceBackground.Perturb(originals[person], 7 + (ulong)i, v);
        else
            background.Fill(i, v);
        return v;
    }

    /// <summary>The person whose shot slot i holds, or -1.</summary>
    private static int CopyOf(long i, long n, int persons)
    {
        long copies = (long)persons * CopiesPerPerson;
        long spacing = Math.Max(1, n / copies);
        return i % spacing == 0 && i / spacing < copies ? (int)(i / spacing / CopiesPerPerson) : -1;
    }

    /// <summary>
    /// Odd persons are strangers: their shots are taken out of the index before any query (the
    /// stored gallery holds them, so one store serves both), and their queries' best match is
    /// only the nearest of the crowd: the case that tests the first stage's ranking hardest
    /// (and a camera's usual one: most passers-by are in no gallery).
    /// </summary>
    private static bool IsStranger(int person) => person % 2 == 1;

    private static async Task<int> RunAsync(int n, int queryCount, int batchSize, string? dataDir, string candidateList, string? photos, int photoLimit,
        int crashChanges, CancellationToken ct)
    {
        if (n < 100 || queryCount < 1 || batchSize < 1) { Console.Error.WriteLine("--faces ≥ 100, --queries ≥ 1, --batch ≥ 1"); return 2; }
        var sweep = candidateList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        bool temp = dataDir is null;
        var dir = dataDir ?? Path.Combine(Path.GetTempPath(), "router-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            var (real, background, originals) = Prepare(photos, photoLimit);
            var cache = new MemoryDetectionCache(TimeSpan.FromHours(1), 100_000);
            string sizeFile = Path.Combine(dir, "bench-faces.txt");
            bool reuse = File.Exists(sizeFile) && File.ReadAllText(sizeFile).Trim() == $"{n} {real.Count}";

            // 1. Store N faces (batched transactions, generated on every core) and keep the index in step: the import rate.
            double insertSeconds = double.NaN;
            if (!reuse)
            {
                File.Delete(Path.Combine(dir, "galleries.db"));
                await using var engine = NewEngine(dir, cache);
                await engine.CreateGalleryAsync("bench", ct);
                var watch = new Stopwatch();
                var generate = new Stopwatch();
                const int chunk = 20_000;
                for (int start = 0; start < n; start += chunk)
                {
                    int size = Math.Min(n, start + chunk) - start;
                    var part = new (long, float[])[size];
                    generate.Start();
                    Parallel.For(0, size, k => part[k] = (start + k + 1, GalleryFace(start + k, n, background, originals)));
                    generate.Stop();
                    watch.Start();
                    await engine.ImportAsync("bench", part, ct);
                    watch.Stop();
                    if (start / chunk % 10 == 0) Console.Error.Write($"\rstored {start + size:N0}/{n:N0}");
                }
                insertSeconds = watch.Elapsed.TotalSeconds;
                Console.Error.WriteLine($"\rstored {n:N0} in {insertSeconds:F0} s (+{generate.Elapsed.TotalSeconds:F0} s generating)");
                File.WriteAllText(sizeFile, $"{n} {real.Count}");
            }

            // The store's read rate alone (every row of the gallery, nothing kept): the floor under the cold load.
            double readSeconds;
            await using (var store = new SqliteGalleryStore(Path.Combine(dir, "galleries.db")))
            {
                var readWatch = Stopwatch.StartNew();
                long rows = 0;
                await foreach (var f in store.ReadAllAsync("bench", ct)) rows += f.Vector.Length > 0 ? 1 : 0;
                readSeconds = readWatch.Elapsed.TotalSeconds;
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            }

            // 2. Cold start, measuring managed heap growth (the index is all managed; the process working set is
            //    not used because the import phase's freed memory stays mapped). First without the index
            //    snapshot (a rebuild from every stored face, which then writes the snapshot), then from it.
            var snapshotPath = Path.Combine(dir, "galleries.db") + ".index";
            File.Delete(snapshotPath);
            var (rebuildSeconds, rebuildBytesPerFace, snapshotWriteSeconds) = await RebuildAsync(dir, cache, n, ct);
            long snapshotBytes = File.Exists(snapshotPath) ? new FileInfo(snapshotPath).Length : 0;
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var crash = crashChanges > 0 ? await CrashRecoveryAsync(dir, cache, crashChanges, background, originals, ct) : default;

            // The rebuild's engine too can outlive its method by a moment.
            Heap();
            await Task.Delay(500, ct);
            long heapBefore = Heap();
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var loadWatch = Stopwatch.StartNew();
            await using var loaded = NewEngine(dir, cache);
            await loaded.StartAsync(ct);
            double loadSeconds = loadWatch.Elapsed.TotalSeconds;
            // The benchmark removes faces from the index directly below: the store does not see that, so no snapshot of it.
            loaded.WritesIndexSnapshots = false;
            var loadSource = loaded.LastIndexLoad?.Source ?? "?";
            double loadAllocatedPerFace = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / n;
            var index = await loaded.GetIndexAsync("bench", ct);
            long heapAfter = Heap();
            Console.Error.WriteLine($"loaded from the {loadSource} in {loadSeconds:F2} s ({snapshotBytes / 1e6:F0} MB snapshot, written in {snapshotWriteSeconds:F1} s); " +
                                    $"rebuilt from the store in {rebuildSeconds:F1} s (reading the store alone {readSeconds:F1} s); " +
                                    $"{(double)(heapAfter - heapBefore) / n:F0} B a face, {loadAllocatedPerFace:F0} B allocated a face ({rebuildBytesPerFace:F0} B rebuilt)");

            for (long i = 0; i < n; i++)
                if (CopyOf(i, n, originals.Length) is int p and >= 0 && IsStranger(p)) index.Remove(i + 1);
            var strangers = real.Select(f => IsStranger(f.Person)).ToArray();

            var detectionIds = new string[real.Count];
            for (int i = 0; i < real.Count; i++)
            {
                detectionIds[i] = Guid.NewGuid().ToString("N");
                await cache.PutAsync(new DetectFace { Id = detectionIds[i], BBox = new BBox(0, 0, 1, 1), Facen = real[i].Vector }, ct);
            }

            // 3. One query, one thread: end to end (scan + exact re-rank from SQLite) and the scan alone, both paths.
            await loaded.ListAsync("bench", [Filters.Detection(detectionIds[0], 0.5)], 10, ct: ct); // warm-up
            var endToEnd = new double[queryCount];
            int hits = 0;
            for (int i = 0; i < queryCount; i++)
            {
                var t = Stopwatch.GetTimestamp();
                var r = await loaded.ListAsync("bench", [Filters.Detection(detectionIds[i % real.Count], 0.5)], 10, ct: ct);
                endToEnd[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                if (r.Results.Count > 0) hits++;
            }
            var (scan, scanAllocated) = TimeScan(index, real, queryCount);
            int exactQueries = Math.Min(queryCount, 30);
            index.ApproximateFrom = int.MaxValue;
            var (exactScan, _) = TimeScan(index, real, exactQueries);

            // 4. Recall against the exact scan (end to end, threshold 0, top 10), every real embedding a query.
            var exact = new List<long[]>(real.Count);
            foreach (var id in detectionIds) exact.Add(await TopAsync(loaded, id, ct));
            index.ApproximateFrom = GalleryIndex.DefaultApproximateFrom;
            var recall = new Dictionary<string, object>();
            double recall1 = 0, recall10 = 0, strangers1 = 0;
            foreach (int c in sweep.Append(GalleryIndex.DefaultCandidates).Distinct().Order())
            {
                index.Candidates = c;
                var (r1, r10, s1) = await RecallAsync(loaded, detectionIds, exact, strangers, ct);
                var (t, _) = TimeScan(index, real, Math.Min(queryCount, 50));
                recall[c.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new { recall_at_1 = r1, recall_at_10 = r10, strangers_recall_at_1 = s1, scan_p50_ms = Math.Round(Percentile(t, 0.5), 2) };
                Console.Error.WriteLine($"candidates {c}: recall@1 {r1:P2} (strangers {s1:P2}), recall@10 {r10:P2}, scan p50 {Percentile(t, 0.5):F1} ms");
                if (c == GalleryIndex.DefaultCandidates) (recall1, recall10, strangers1) = (r1, r10, s1);
            }
            index.Candidates = GalleryIndex.DefaultCandidates;

            // 5. Several queries sharing one exact scan.
            var ids = new long[batchSize * 10];
            var scores = new float[batchSize * 10];
            var packed = new float[batchSize * Dim];
            for (int q = 0; q < batchSize; q++) real[q % real.Count].Vector.CopyTo(packed, q * Dim);
            BatchSearch.Search(index, packed, 10, ids, scores);
            int rounds = Math.Max(3, Math.Min(queryCount, 100) / batchSize);
            var batchWatch = Stopwatch.StartNew();
            for (int r = 0; r < rounds; r++) BatchSearch.Search(index, packed, 10, ids, scores);
            double batchQps = rounds * batchSize / batchWatch.Elapsed.TotalSeconds;

            // 6. Single durable adds (one fsynced transaction each), to a gallery of their own so that a reused store stays as built.
            const int adds = 200;
            await loaded.EnsureGalleryAsync("bench-adds", ct);
            var addWatch = Stopwatch.StartNew();
            for (int i = 0; i < adds; i++)
                await loaded.AddFaceAsync("bench-adds", null, FaceSource.FromDetection(detectionIds[i % detectionIds.Length]), null, 3, ct);
            double addPerSecond = adds / addWatch.Elapsed.TotalSeconds;
            await loaded.DropGalleryAsync("bench-adds", ct);

            Array.Sort(endToEnd);
            var result = new Dictionary<string, object>
            {
                ["faces"] = n,
                ["dim"] = Dim,
                ["real_queries"] = real.Count,
                ["p50_ms"] = Math.Round(Percentile(endToEnd, 0.50), 2),
                ["p99_ms"] = Math.Round(Percentile(endToEnd, 0.99), 2),
                ["scan_p50_ms"] = Math.Round(Percentile(scan, 0.50), 2),
                ["scan_p99_ms"] = Math.Round(Percentile(scan, 0.99), 2),
                ["exact_scan_p50_ms"] = Math.Round(Percentile(exactScan, 0.50), 2),
                ["scan_alloc_bytes_per_query"] = Math.Round(scanAllocated, 1),
                ["two_stage"] = n >= GalleryIndex.DefaultApproximateFrom,
                ["candidates"] = GalleryIndex.DefaultCandidates,
                ["recall_at_1"] = recall1,
                ["recall_at_10"] = recall10,
                ["strangers_recall_at_1"] = strangers1,
                ["stranger_queries"] = strangers.Count(x => x),
                ["recall_by_candidates"] = recall,
                ["batch_size"] = batchSize,
                ["batch_qps_exact"] = Math.Round(batchQps, 1),
                ["bytes_per_face"] = Math.Round((double)(heapAfter - heapBefore) / n, 1),
                ["load_s"] = Math.Round(loadSeconds, 2),
                ["load_source"] = loadSource,
                ["load_alloc_bytes_per_face"] = Math.Round(loadAllocatedPerFace, 1),
                ["rebuild_load_s"] = Math.Round(rebuildSeconds, 2),
                ["rebuild_bytes_per_face"] = Math.Round(rebuildBytesPerFace, 1),
                ["snapshot_write_s"] = Math.Round(snapshotWriteSeconds, 2),
                ["crash_changes"] = crashChanges,
                ["crash_load_s"] = Math.Round(crash.Seconds, 2),
                ["crash_load"] = crash.Reason ?? "",
                ["snapshot_bytes"] = snapshotBytes,
                ["store_read_s"] = Math.Round(readSeconds, 2),
                ["insert_per_s"] = double.IsNaN(insertSeconds) ? "reused store" : Math.Round(n / insertSeconds),
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

    private static async Task<long[]> TopAsync(GalleryEngine engine, string detectionId, CancellationToken ct)
    {
        var r = await engine.ListAsync("bench", [Filters.Detection(detectionId, 0)], 10, ct: ct);
        return r.Results.Select(f => f.Id.Face).ToArray();
    }

    /// <summary>recall@1: the exact top face is the search's top face (all queries, and the strangers' alone); recall@10: the share of the exact top 10 in the search's top 10.</summary>
    private static async Task<(double, double, double)> RecallAsync(GalleryEngine engine, string[] detectionIds, List<long[]> exact, bool[] strangers, CancellationToken ct)
    {
        int top = 0, strangerTop = 0, found = 0, wanted = 0;
        for (int i = 0; i < detectionIds.Length; i++)
        {
            var got = await TopAsync(engine, detectionIds[i], ct);
            if (got.Length > 0 && exact[i].Length > 0 && got[0] == exact[i][0]) { top++; if (strangers[i]) strangerTop++; }
            found += exact[i].Intersect(got).Count();
            wanted += exact[i].Length;
        }
        return (Math.Round((double)top / detectionIds.Length, 5), Math.Round((double)found / Math.Max(1, wanted), 5),
            Math.Round((double)strangerTop / Math.Max(1, strangers.Count(x => x)), 5));
    }

    /// <summary>The index scan alone, as the engine runs it for a top 10 (heap of 10 + 64): milliseconds per query, sorted, and bytes allocated per query.</summary>
    private static (double[], double) TimeScan(GalleryIndex index, List<RealEmbeddings.Face> real, int count)
    {
        var times = new double[count];
        var plan = new ListPlan { Query = real[0].Vector, Threshold = 0.5, Order = ListOrder.ConfidenceDescending, Limit = 10 };
        using (var warm = new CandidateHeap(ListOrder.ConfidenceDescending, 74)) index.Scan(plan, warm);
        var plans = Enumerable.Range(0, count).Select(i => new ListPlan { Query = real[i % real.Count].Vector, Threshold = 0.5, Order = ListOrder.ConfidenceDescending, Limit = 10 }).ToArray();
        long allocated = 0;
        for (int i = 0; i < count; i++)
        {
            using var heap = new CandidateHeap(ListOrder.ConfidenceDescending, 74);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var t = Stopwatch.GetTimestamp();
            index.Scan(plans[i], heap);
            times[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
        Array.Sort(times);
        return (times, (double)allocated / count);
    }

    /// <summary>Exact and two-stage scan p50 on in-memory galleries of growing size: where the two-stage path starts to pay.</summary>
    private static int Crossover(string? photos, int photoLimit)
    {
        var (real, background, originals) = Prepare(photos, photoLimit);
        var rows = new List<object>();
        var index = new GalleryIndex("crossover");
        int built = 0;
        foreach (int size in new[] { 10_000, 25_000, 50_000, 75_000, 100_000, 150_000, 250_000, 500_000, 1_000_000 })
        {
            var batch = new float[size - built][];
            int from = built;
            Parallel.For(0, batch.Length, k => batch[k] = GalleryFace(from + k, 1_000_000, background, originals, strangersToo: false));
            for (int k = 0; k < batch.Length; k++) index.Upsert(from + k + 1, batch[k], FaceEntry.Empty);
            built = size;
            index.ApproximateFrom = int.MaxValue;
            var (exact, _) = TimeScan(index, real, 60);
            index.ApproximateFrom = 0;
            var (two, _) = TimeScan(index, real, 60);
            GalleryIndex.ScalarFirstStage = true;
            var (scalar, _) = TimeScan(index, real, 60);
            GalleryIndex.ScalarFirstStage = false;
            rows.Add(new
            {
                faces = size, exact_p50_ms = Math.Round(Percentile(exact, 0.5), 3), two_stage_p50_ms = Math.Round(Percentile(two, 0.5), 3),
                two_stage_scalar_popcount_p50_ms = Math.Round(Percentile(scalar, 0.5), 3),
            });
            Console.Error.WriteLine($"{size,9:N0} faces: exact {Percentile(exact, 0.5):F2} ms, two-stage {Percentile(two, 0.5):F2} ms (scalar popcount {Percentile(scalar, 0.5):F2} ms)");
        }
        Console.WriteLine(JsonSerializer.Serialize(new { crossover = rows, candidates = GalleryIndex.DefaultCandidates, parts = Environment.ProcessorCount }));
        return 0;
    }

    private static int Variants(int n, string candidateList, string? photos, int photoLimit)
    {
        var (real, background, originals) = Prepare(photos, photoLimit);
        var counts = candidateList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var result = FirstStageVariants.Run(n, i => GalleryFace(i, n, background, originals, strangersToo: false), real.Select(f => f.Vector).ToList(),
            real.Select(f => IsStranger(f.Person)).ToList(), counts);
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>
    /// A cold load with no snapshot (rebuilt from every stored face), then the snapshot it writes: seconds, managed
    /// bytes a face, seconds writing. A method of its own so the engine is unreachable when it returns (an async
    /// method's locals live in fields that a later local of the same type may reuse, which would skew the heap figures).
    /// </summary>
    private static async Task<(double Seconds, double BytesPerFace, double WriteSeconds)> RebuildAsync(string dir, IDetectionCache cache, int n, CancellationToken ct)
    {
        // An engine disposed just before (the import's) can outlive its scope by a moment; let it go before the baseline.
        Heap();
        await Task.Delay(500, ct);
        long before = Heap();
        var watch = Stopwatch.StartNew();
        await using var rebuilt = NewEngine(dir, cache);
        await rebuilt.StartAsync(ct);
        double seconds = watch.Elapsed.TotalSeconds;
        if (rebuilt.LastIndexLoad?.Source != "store") throw new InvalidOperationException($"expected a rebuild, got {rebuilt.LastIndexLoad}");
        double bytesPerFace = (double)(Heap() - before) / n;
        var writeWatch = Stopwatch.StartNew();
        await rebuilt.PendingIndexSnapshot;
        return (seconds, bytesPerFace, writeWatch.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// A crash after the snapshot: an engine loaded from it adds <paramref name="changes"/> faces to a gallery of
    /// their own and ends without writing a snapshot; the next start loads the snapshot and replays those changes
    /// from the store's change log (timed), then drops the gallery and shuts down cleanly, so that the store and the
    /// snapshot are as they were for the steps that follow.
    /// </summary>
    private static async Task<(double Seconds, string? Reason)> CrashRecoveryAsync(string dir, IDetectionCache cache, int changes,
        FaceBackground background, float[][] originals, CancellationToken ct)
    {
        const string gallery = "bench-crash";
        await using (var crashing = NewEngine(dir, cache))
        {
            await crashing.StartAsync(ct);
            await crashing.CreateGalleryAsync(gallery, ct);
            var faces = new (long, float[])[changes];
            Parallel.For(0, changes, k => faces[k] = (k + 1, GalleryFace(k, changes, background, originals)));
            await crashing.ImportAsync(gallery, faces, ct);
            crashing.WritesIndexSnapshots = false; // the process dies here
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Heap();
        var watch = Stopwatch.StartNew();
        await using var recovered = NewEngine(dir, cache);
        await recovered.StartAsync(ct);
        double seconds = watch.Elapsed.TotalSeconds;
        var load = recovered.LastIndexLoad;
        if (load?.Source != "snapshot") throw new InvalidOperationException($"expected the snapshot brought up to date, got {load}");
        Console.Error.WriteLine($"after a crash {changes:N0} changes after the snapshot: loaded in {seconds:F2} s ({load.Reason})");
        await recovered.DropGalleryAsync(gallery, ct);
        return (seconds, load.Reason);
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(p * sorted.Length))];
}
