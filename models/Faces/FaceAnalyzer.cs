using System.Drawing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Router.Abstractions;
using Router.Models.Imaging;
using Router.Models.Inference;
using Router.Models.Onnx;

namespace Router.Models.Faces;

/// <summary>
/// The face models behind <see cref="IFaceAnalyzer"/>. Each model's session is created on its
/// first use (so a detector-only pipeline never loads the 28 MB expression model) and then
/// shared by all threads: ORT sessions are thread-safe.
/// </summary>
public sealed class FaceAnalyzer : IFaceAnalyzer, IDisposable
{
    private readonly FaceModelsOptions _options;
    private readonly ILogger _logger;
    private readonly string _modelsDirectory;
    private readonly ModelChannelOrders _orders;
    private readonly AlignmentPoints _alignment;
    private int _fallbackLogged;

    private readonly Lazy<FaceDetector> _detector;
    private readonly Lazy<LandmarkDetector> _landmarks;
    private readonly Lazy<FaceEmbedder> _embedder;
    private readonly Lazy<GenderEstimator> _gender;
    private readonly Lazy<AgeEstimator> _age;
    private readonly Lazy<ExpressionClassifier> _expression;
    private readonly Lazy<LivenessDetector> _liveness;
    private readonly Lazy<HeadPoseEstimator> _pose;
    private readonly Lazy<EyeStateClassifier> _eyes;

    public FaceAnalyzer(FaceModelsOptions? options = null, ILogger<FaceAnalyzer>? logger = null, ModelChannelOrders? channelOrders = null)
    {
        _options = options ?? new FaceModelsOptions();
        _options.Validate();
        _logger = logger ?? NullLogger<FaceAnalyzer>.Instance;
        _modelsDirectory = _options.ResolveModelsDirectory();
        _orders = channelOrders ?? ModelChannelOrders.Default;
        _alignment = _options.ResolveAlignment();
        _detector = new(() => Batched(new FaceDetector(Open(ModelFiles.Detector), _orders.Detector)));
        _landmarks = new(() => Batched(new LandmarkDetector(Open(ModelFiles.Landmarks))));
        _embedder = new(() => Batched(new FaceEmbedder(Open(ModelFiles.Embedding), _orders.Embedding)));
        _gender = new(() => Batched(new GenderEstimator(Open(ModelFiles.Gender), _orders.Gender)));
        _age = new(() => Batched(new AgeEstimator(Open(ModelFiles.Age), _orders.Age)));
        _expression = new(() => Batched(new ExpressionClassifier(Open(ModelFiles.Expression), _orders.Expression)));
        _liveness = new(() => Batched(new LivenessDetector(Open(ModelFiles.Liveness), _orders.Liveness)));
        _pose = new(() => Batched(new HeadPoseEstimator(Open(ModelFiles.Pose), _orders.Pose)));
        _eyes = new(() => Batched(new EyeStateClassifier(Open(ModelFiles.Eyes))));
    }

    public FaceDetector Detector => _detector.Value;
    public LandmarkDetector Landmarks => _landmarks.Value;
    public FaceEmbedder Embedder => _embedder.Value;
    public GenderEstimator Gender => _gender.Value;
    public AgeEstimator Age => _age.Value;
    public ExpressionClassifier Expression => _expression.Value;
    public LivenessDetector Liveness => _liveness.Value;
    public HeadPoseEstimator Pose => _pose.Value;
    public EyeStateClassifier Eyes => _eyes.Value;

    /// <summary>Opens one model with this analyzer's settings (the benchmark opens extra ones with other thread counts).</summary>
    public OrtSession Open(string fileName, int? intraOpThreads = null, bool? allowSpinning = null)
    {
        var settings = _options.SessionSettings(line =>
        {
            if (Interlocked.Exchange(ref _fallbackLogged, 1) == 0) _logger.LogWarning("{Line}", line);
        });
        if (intraOpThreads is { } t) settings = settings with { IntraOpThreads = t };
        if (allowSpinning is { } spin) settings = settings with { AllowSpinning = spin };
        return new OrtSession(Path.Combine(_modelsDirectory, fileName), settings);
    }

    /// <summary>
    /// The runner with its model's queue when Models:Batching is on for the provider the session
    /// really got (unset: on with CUDA, off on CPU and after a CUDA fallback).
    /// </summary>
    private T Batched<T>(T runner) where T : ModelRunner
    {
        if (runner.Session.FreeBatchAxis && _options.Batching.EnabledFor(runner.Session.Provider))
            runner.RunThrough(new InferenceQueue(runner.Session, _options.Batching));
        return runner;
    }

    /// <summary>Loads every model now, so that start-up, not the first request, pays for it and reports a broken file.</summary>
    public void LoadAll()
    {
        _ = Detector; _ = Landmarks; _ = Embedder; _ = Gender; _ = Age; _ = Expression; _ = Liveness; _ = Pose; _ = Eyes;
    }

    public IReadOnlyList<FaceDetection> Detect(BgrImage image, DetectionOptions? options = null) =>
        Detector.Detect(image, options ?? DetectionOptions.Default);

    public void Detect(BgrImage image, DetectionOptions? options, List<FaceDetection> faces) =>
        Detector.Detect(image, options ?? DetectionOptions.Default, faces);

    public FaceAnalysis Analyze(BgrImage image, FaceDetection face, FaceFeatures features, PointF[]? landmarks = null)
    {
        if (landmarks is not null && landmarks.Length != LandmarkDetector.Points)
            throw new ArgumentException($"{LandmarkDetector.Points} landmarks expected, not {landmarks.Length}", nameof(landmarks));
        landmarks ??= Landmarks.Detect(image, face.Box);
        float[]? embedding = null;
        var attributes = new FaceAttributes();
        BgrImage? aligned = null;
        try
        {
            // The quality estimate reads the aligned image; the embedder warps straight from the frame into its tensor.
            if (features.HasFlag(FaceFeatures.Quality)) aligned = Align(image, landmarks);
            if (features.HasFlag(FaceFeatures.Facen))
                embedding = Embedder.Embed(image, FaceAligner.ImageToTemplate(landmarks, _alignment), _options.MirrorAugment);
            if (features.HasFlag(FaceFeatures.Gender)) attributes = attributes with { Gender = Gender.Estimate(image, face.Box) };
            if (features.HasFlag(FaceFeatures.Age)) attributes = attributes with { Age = (int)MathF.Round(Age.EstimateYears(image, face.Box)) };
            if (features.HasFlag(FaceFeatures.Emotions)) attributes = attributes with { Emotions = Expression.Classify(image, face.Box) };
            if (features.HasFlag(FaceFeatures.Liveness)) attributes = attributes with { Liveness = Liveness.Estimate(image, face.Box) };
            HeadPose? pose = features.HasFlag(FaceFeatures.Pose) ? Pose.Estimate(image, face.Box) : null;
            if (pose != null) attributes = attributes with { Pose = pose };
            EyesState? eyes = (features & (FaceFeatures.Eyes | FaceFeatures.Quality)) != 0 ? Eyes.Classify(image, landmarks) : null;
            if (features.HasFlag(FaceFeatures.Eyes)) attributes = attributes with { Eyes = eyes };
            if (features.HasFlag(FaceFeatures.Quality))
                attributes = attributes with { Quality = QualityEstimator.Estimate(face.Box, aligned!, pose ?? LandmarkPose.Estimate(landmarks), eyes) };
        }
        finally { aligned?.Dispose(); }
        return new FaceAnalysis { Detection = face, Landmarks = landmarks, Attributes = attributes, Embedding = embedding };
    }

    public ImageAnalysis AnalyzeImage(ReadOnlySpan<byte> encodedImage, FaceFeatures features, DetectionOptions? options = null, DecodeLimits? limits = null)
    {
        using var decoded = ImageDecoder.Decode(encodedImage, limits ?? DecodeLimits.Default);
        var image = decoded.Image;
        var detections = Detect(image, options);
        var faces = new List<FaceAnalysis>(detections.Count);
        foreach (var d in detections) faces.Add(Analyze(image, d, features));
        return new ImageAnalysis(image.Width, image.Height, decoded.Orientation, faces);
    }

    public BgrImage Align(BgrImage image, ReadOnlySpan<PointF> landmarks) => FaceAligner.Align(image, landmarks, _alignment);

    public void Dispose()
    {
        foreach (var runner in new IDisposable?[]
                 {
                     Created(_detector), Created(_landmarks), Created(_embedder), Created(_gender), Created(_age),
                     Created(_expression), Created(_liveness), Created(_pose), Created(_eyes),
                 })
            runner?.Dispose();
    }

    private static IDisposable? Created<T>(Lazy<T> lazy) where T : IDisposable => lazy.IsValueCreated ? lazy.Value : null;
}
