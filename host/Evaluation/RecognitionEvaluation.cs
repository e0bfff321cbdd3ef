using System.Diagnostics;
using System.Numerics.Tensors;
using Router.Abstractions;
using Router.Models.Faces;

namespace Router.Host.Evaluation;

/// <summary>What <c>router eval</c> is asked to measure.</summary>
public sealed record EvalRequest(
    string Folder, string? PairsFile, FaceChoice Choice, FaceModelsOptions Models, Degradation? Degradation,
    string CacheDirectory, bool AllPairs, double Threshold);

/// <summary>
/// Measures recognition on labelled photos: embeds them through the product's pipeline (cached),
/// then scores the listed pairs (accuracy at the best threshold, 10-fold where the list has folds)
/// and every pair of photos of the folder (same person / different people: TAR at fixed FARs, EER,
/// AUC, the score distributions, a calibration table) and how same-person scores fall with face
/// size and the quality score.
/// </summary>
public static class RecognitionEvaluation
{
    /// <summary>
    /// The loose threshold at which the "this is not X" simulation counts a stranger's photo as a false match
    /// (operators who lower a threshold meet many; at the identification threshold there are too few to measure).
    /// </summary>
    public const double NegativeFalseMatchThreshold = 0.30;

    public static EvalReport Run(EvalRequest request, Action<int, int>? progress = null, CancellationToken ct = default)
    {
        if (!Directory.Exists(request.Folder))
            throw new RouterException(ErrorCodes.NotFound, $"photo folder {request.Folder} does not exist", "folder", request.Folder);
        var photos = LabelledPhotos.Scan(request.Folder);
        PairList.Parsed? listed = null;
        if (request.PairsFile != null)
        {
            if (!File.Exists(request.PairsFile))
                throw new RouterException(ErrorCodes.NotFound, $"pairs list {request.PairsFile} does not exist", "pairs", request.PairsFile);
            listed = PairList.Read(request.PairsFile);
        }
        if (photos.Count == 0 && (listed == null || listed.Pairs.Count == 0))
            throw new RouterException(ErrorCodes.BadParam, $"no photos in {request.Folder}: expected one sub-folder of photos per person", "folder", request.Folder);

        var paths = new HashSet<string>(StringComparer.Ordinal);
        if (request.AllPairs) foreach (var p in photos) paths.Add(p.RelativePath);
        if (listed != null) foreach (var p in listed.Pairs) { paths.Add(p.FileA); paths.Add(p.FileB); }

        var clock = Stopwatch.StartNew();
        var cache = EmbeddingCache.For(request.CacheDirectory, request.Folder, Signature(request));
        var known = cache.Load(request.Folder);
        var cached = paths.Count(known.ContainsKey);
        IReadOnlyDictionary<string, PhotoEmbedding> embeddings;
        using (var analyzer = new FaceAnalyzer(request.Models))
            embeddings = new PhotoEmbedder(analyzer, request.Choice, request.Degradation).EmbedAll(request.Folder, paths, known, progress, ct);
        var embedSeconds = clock.Elapsed.TotalSeconds;
        if (cached < paths.Count)
        {
            var merged = new Dictionary<string, PhotoEmbedding>(known, StringComparer.Ordinal);
            foreach (var (k, v) in embeddings) merged[k] = v;
            cache.Save(request.Folder, merged.Values);
        }

        clock.Restart();
        var failures = embeddings.Values.Where(e => !e.HasFace).OrderBy(e => e.RelativePath, StringComparer.Ordinal)
            .Select(e => new PhotoFailure(e.RelativePath, e.ErrorCode!, e.Reason!)).ToList();

        ListedPairsReport? listedReport = null;
        if (listed != null) listedReport = ScoreListed(listed, embeddings, request.Threshold);

        VerificationSummary? all = null;
        IReadOnlyList<CurvePoint> bySize = [], byQuality = [], byYaw = [];
        IReadOnlyList<GroupingPoint> grouping = [];
        IReadOnlyList<NegativePoint> negatives = [];
        if (request.AllPairs)
        {
            var withFace = photos.Where(p => embeddings.TryGetValue(p.RelativePath, out var e) && e.HasFace)
                .Select(p => (p.Person, Photo: embeddings[p.RelativePath])).ToArray();
            var (genuine, impostor, genuinePairs) = ScoreAll(withFace, ct);
            if (genuine.Total > 0 && impostor.Total > 0) all = VerificationMetrics.Compute(genuine, impostor);
            bySize = Curve(genuinePairs, p => Math.Min(p.A.Box.Height, p.B.Box.Height), [0, 40, 60, 80, 100, 120, 140, 100_000], request.Threshold);
            byQuality = Curve(genuinePairs, p => Math.Min(p.A.Quality, p.B.Quality), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01], request.Threshold);
            byYaw = Curve(genuinePairs, p => Math.Max(Math.Abs(p.A.Yaw), Math.Abs(p.B.Yaw)), [0, 10, 20, 30, 45, 60, 91], request.Threshold);
            grouping = GroupingSimulation.Run(withFace, [0.30, 0.34, 0.38, 0.42, 0.46, 0.50]);
            negatives = NegativeCorrectionSimulation.Run(withFace, NegativeFalseMatchThreshold, MatchThresholds.Identification,
                [-0.10, -0.05, 0, 0.05, 0.10, 0.15, 0.20]);
        }

        return new EvalReport(
            Path.GetFullPath(request.Folder), request.PairsFile, request.Choice.ToString().ToLowerInvariant(),
            new PipelineDescription(request.Models.ResolveAlignment() == AlignmentPoints.FivePoint ? "five-point" : "eyes-nose",
                request.Models.MirrorAugment, request.Degradation?.ToString()),
            paths.Count, paths.Count - failures.Count, cached, failures, listed?.Problems ?? [], listedReport, all, bySize, byQuality, byYaw, grouping, negatives,
            request.Threshold, Math.Round(embedSeconds, 2), Math.Round(clock.Elapsed.TotalSeconds, 2));
    }

    private static ListedPairsReport ScoreListed(PairList.Parsed listed, IReadOnlyDictionary<string, PhotoEmbedding> embeddings, double threshold)
    {
        var scored = new List<(float Score, bool Same, int Fold)>();
        var skipped = 0;
        foreach (var p in listed.Pairs)
        {
            if (embeddings.TryGetValue(p.FileA, out var a) && a.HasFace && embeddings.TryGetValue(p.FileB, out var b) && b.HasFace)
                scored.Add((TensorPrimitives.Dot(a.Embedding!, b.Embedding!), p.Same, p.Fold));
            else skipped++;
        }
        if (scored.Count == 0) return new ListedPairsReport(listed.Pairs.Count, 0, skipped, null, null, null);
        var accuracy = scored.Any(s => s.Same) && scored.Any(s => !s.Same) ? VerificationMetrics.Accuracy(scored, listed.Folds) : null;
        var atThreshold = new ThresholdAccuracy(threshold, VerificationMetrics.AccuracyAt(scored, threshold),
            scored.Count(s => s.Same && s.Score < threshold), scored.Count(s => !s.Same && s.Score >= threshold));
        return new ListedPairsReport(listed.Pairs.Count, scored.Count, skipped, accuracy, atThreshold,
            scored.Select(s => new ScoredPair(s.Score, s.Same)).ToList());
    }

    private static (ScoreHistogram Genuine, ScoreHistogram Impostor, List<(PhotoEmbedding A, PhotoEmbedding B, float Score)> GenuinePairs) ScoreAll(
        (string Person, PhotoEmbedding Photo)[] photos, CancellationToken ct)
    {
        var genuine = new ScoreHistogram();
        var impostor = new ScoreHistogram();
        var genuinePairs = new List<(PhotoEmbedding, PhotoEmbedding, float)>();
        var gate = new object();
        // Rows interleaved over the workers so each gets a share of long and short rows.
        Parallel.For(0, Environment.ProcessorCount, new ParallelOptions { CancellationToken = ct }, worker =>
        {
            var g = new ScoreHistogram();
            var im = new ScoreHistogram();
            var gp = new List<(PhotoEmbedding, PhotoEmbedding, float)>();
            for (var i = worker; i < photos.Length; i += Environment.ProcessorCount)
            {
                var a = photos[i].Photo.Embedding!;
                for (var j = i + 1; j < photos.Length; j++)
                {
                    var score = TensorPrimitives.Dot(a, photos[j].Photo.Embedding!);
                    if (photos[i].Person == photos[j].Person) { g.Add(score); gp.Add((photos[i].Photo, photos[j].Photo, score)); }
                    else im.Add(score);
                }
            }
            lock (gate) { genuine.Add(g); impostor.Add(im); genuinePairs.AddRange(gp); }
        });
        return (genuine, impostor, genuinePairs);
    }

    private static List<CurvePoint> Curve(List<(PhotoEmbedding A, PhotoEmbedding B, float Score)> pairs, Func<(PhotoEmbedding A, PhotoEmbedding B, float Score), double> key,
        double[] edges, double threshold)
    {
        var points = new List<CurvePoint>();
        for (var i = 0; i + 1 < edges.Length; i++)
        {
            var inBin = pairs.Where(p => key(p) >= edges[i] && key(p) < edges[i + 1]).Select(p => p.Score).ToArray();
            if (inBin.Length == 0) continue;
            points.Add(new CurvePoint(edges[i], edges[i + 1], inBin.Length, Math.Round(inBin.Average(), 4), Math.Round(inBin.Min(), 4),
                Math.Round(inBin.Count(s => s >= threshold) / (double)inBin.Length, 4)));
        }
        return points;
    }

    /// <summary>What the cached embeddings depend on: the pipeline's options and the model files.</summary>
    private static string Signature(EvalRequest r)
    {
        var model = new FileInfo(Path.Combine(r.Models.ResolveModelsDirectory(), ModelFiles.Embedding));
        var detector = new FileInfo(Path.Combine(r.Models.ResolveModelsDirectory(), ModelFiles.Detector));
        return string.Join('|', r.Choice, r.Models.ResolveAlignment(), r.Models.MirrorAugment, r.Degradation?.ToString() ?? "none",
            model.Exists ? model.Length : 0, detector.Exists ? detector.Length : 0);
    }
}
