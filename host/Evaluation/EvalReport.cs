namespace Router.Host.Evaluation;

/// <summary>Everything <c>router eval</c> measured; <c>--json</c> prints it as it is.</summary>
public sealed record EvalReport(
    string Folder, string? PairsFile, string FaceChoice, PipelineDescription Pipeline,
    int Photos, int PhotosWithFace, int PhotosFromCache, IReadOnlyList<PhotoFailure> NoFace, IReadOnlyList<PairListProblem> PairProblems,
    ListedPairsReport? ListedPairs, VerificationSummary? AllPairs,
    IReadOnlyList<CurvePoint> GenuineByFaceSize, IReadOnlyList<CurvePoint> GenuineByQuality, IReadOnlyList<CurvePoint> GenuineByYaw, IReadOnlyList<GroupingPoint> Grouping,
    IReadOnlyList<NegativePoint> NegativeCorrection,
    double Threshold, double EmbedSeconds, double ScoreSeconds);

public sealed record PipelineDescription(string Alignment, bool Mirror, string? Degradation);

/// <summary>A photo the pipeline could not use, with the coded reason.</summary>
public sealed record PhotoFailure(string File, string Code, string Reason);

public sealed record ListedPairsReport(int Pairs, int Evaluated, int SkippedNoFace, PairAccuracy? BestThreshold, ThresholdAccuracy? AtThreshold,
    [property: System.Text.Json.Serialization.JsonIgnore] IReadOnlyList<ScoredPair>? Scores);

public sealed record ThresholdAccuracy(double Threshold, double Accuracy, int FalseRejects, int FalseAccepts);

public sealed record ScoredPair(float Score, bool Same);

/// <summary>Same-person pairs whose smaller face (or lower quality) lies in [From, To): how many, their mean and lowest score, and the share accepted at the threshold.</summary>
public sealed record CurvePoint(double From, double To, int Pairs, double MeanScore, double MinScore, double TarAtThreshold);
