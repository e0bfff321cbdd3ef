using Router.Abstractions;
using Router.Models.Inference;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// Configuration section <c>Models</c>: where the ONNX files are, where
/// the models run, and with how many threads. Unset paths come from <see cref="AssetLocator"/>.
/// </summary>
public sealed class FaceModelsOptions
{
    public const string SectionName = "Models";

    /// <summary>Folder with fr_*.onnx; default: the asset cache's models folder.</summary>
    public string? ModelsDirectory { get; set; }
    /// <summary><c>cpu</c> (default) or <c>cuda</c> (falls back to CPU with one log line).</summary>
    public string ExecutionProvider { get; set; } = "cpu";
    /// <summary>
    /// Threads per model call. 1 by default: the video pipeline runs many cameras in parallel,
    /// each calling the shared sessions from its own thread, so the cores are already busy with
    /// other frames; a pool per session would only add hand-offs and oversubscribe (on the 2-core
    /// dev machine under load, 2 threads was slower than 1 as often as faster: bench models).
    /// Raise it only for a single-stream, latency-bound deployment on an otherwise idle machine.
    /// </summary>
    public int IntraOpThreads { get; set; } = 1;
    public int InterOpThreads { get; set; } = 1;
    /// <summary>ORT intra-op spinning (only with IntraOpThreads &gt; 1); off by default, see <see cref="OrtSessionSettings.AllowSpinning"/>.</summary>
    public bool AllowSpinning { get; set; }

    /// <summary>Models:Batching: one queue per model that batches every camera's calls (off on CPU, on with CUDA by default).</summary>
    public BatchingOptions Batching { get; set; } = new();

    /// <summary>
    /// Points that align a face for the embedding: <c>eyes-nose</c> or <c>five-point</c>
    /// (adds the mouth corners). five-point by default: with <c>router eval</c> on LFW's development
    /// photos it raised TAR at FAR 1e-4 from 91.5% to 95.5% and at 1e-5 from 84.7% to 91.2%
    /// at no cost (README, "Recognition accuracy").
    /// </summary>
    public string Alignment { get; set; } = "five-point";
    /// <summary>
    /// Embed the mirror image too and average (a second embedding run per face, about 13 ms
    /// of one core measured with router eval). Off by default: on LFW's development photos it added 0.4 points of TAR at FAR
    /// 1e-4 (95.5% → 95.9%) for twice the embedding time (README, "Recognition accuracy").
    /// </summary>
    public bool MirrorAugment { get; set; }

    public AlignmentPoints ResolveAlignment() => Alignment.Trim().ToLowerInvariant() switch
    {
        "eyes-nose" or "" => AlignmentPoints.EyesNose,
        "five-point" => AlignmentPoints.FivePoint,
        _ => throw RouterException.BadParam("Models:Alignment", Alignment, $"Models:Alignment must be eyes-nose or five-point, not '{Alignment}'"),
    };

    public string ResolveModelsDirectory() => string.IsNullOrWhiteSpace(ModelsDirectory) ? AssetLocator.ModelsDirectory : ModelsDirectory;

    public Onnx.ExecutionProvider ResolveProvider() => ExecutionProvider.Trim().ToLowerInvariant() switch
    {
        "cpu" or "" => Onnx.ExecutionProvider.Cpu,
        "cuda" or "gpu" => Onnx.ExecutionProvider.Cuda,
        _ => throw RouterException.BadParam("Models:ExecutionProvider", ExecutionProvider, $"Models:ExecutionProvider must be cpu or cuda, not '{ExecutionProvider}'"),
    };

    /// <summary>Every problem at once, so a bad configuration is fixed in one go; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (IntraOpThreads is < 0 or > 256) problems.Add($"Models:IntraOpThreads must be 0 (ORT default) .. 256, not {IntraOpThreads}");
        if (InterOpThreads is < 0 or > 256) problems.Add($"Models:InterOpThreads must be 0 (ORT default) .. 256, not {InterOpThreads}");
        try { ResolveProvider(); } catch (RouterException e) { problems.Add(e.Reason); }
        problems.AddRange(Batching.Problems());
        try { ResolveAlignment(); } catch (RouterException e) { problems.Add(e.Reason); }
        if (!string.IsNullOrWhiteSpace(ModelsDirectory) && !Directory.Exists(ModelsDirectory))
            problems.Add($"Models:ModelsDirectory {ModelsDirectory} does not exist: run ./router setup or fix the path");
        return problems;
    }

    public void Validate()
    {
        var problems = Problems();
        if (problems.Count > 0) throw new RouterException(ErrorCodes.BadParam, string.Join("; ", problems), "Models");
    }

    internal OrtSessionSettings SessionSettings(Action<string>? onFallback) => new()
    {
        // Unset Enabled decides by the provider the session ends up on, known only once it is
        // built: free the axis wherever batching may be wanted (batch-1 calls are unchanged).
        FreeBatchAxis = Batching.Enabled ?? ResolveProvider() == Onnx.ExecutionProvider.Cuda,
        IntraOpThreads = IntraOpThreads,
        InterOpThreads = InterOpThreads,
        AllowSpinning = AllowSpinning,
        Provider = ResolveProvider(),
        OnProviderFallback = onFallback,
    };
}
