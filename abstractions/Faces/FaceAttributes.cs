namespace Router.Abstractions;

/// <summary>The features computed for one face; a property is null when it was not requested.</summary>
public sealed record FaceAttributes
{
    public GenderEstimate? Gender { get; init; }
    /// <summary>Estimated age in years.</summary>
    public int? Age { get; init; }
    /// <summary>Seven emotions with probabilities, most likely first.</summary>
    public IReadOnlyList<EmotionScore>? Emotions { get; init; }
    public LivenessEstimate? Liveness { get; init; }
    public HeadPose? Pose { get; init; }
    public EyesState? Eyes { get; init; }
    public FaceQuality? Quality { get; init; }

    public static FaceAttributes Empty { get; } = new();
}

/// <summary><c>Gender</c> is "male" or "female"; <c>Score</c> the confidence of that answer in 0.5..1.</summary>
public sealed record GenderEstimate(string Gender, float Score);

/// <summary>One of angry, disgust, fear, happy, sad, surprise, neutral with its probability.</summary>
public sealed record EmotionScore(string Emotion, float Confidence);

/// <summary><c>Score</c> is the probability that the face is a live person (not a photo or screen).</summary>
public sealed record LivenessEstimate(bool Live, float Score);

/// <summary>Head rotation in degrees: yaw (left/right), pitch (up/down), roll (tilt).</summary>
public sealed record HeadPose(float Yaw, float Pitch, float Roll);

/// <summary>Closed-eye probabilities for each eye (the person's own left and right).</summary>
public sealed record EyesState(bool LeftClosed, bool RightClosed, float LeftClosedScore, float RightClosedScore);

/// <summary>
/// A quality score in 0..1 (higher is better for recognition) and the traits that lowered it,
/// from <see cref="QualityTraits"/>.
/// </summary>
public sealed record FaceQuality(float Score, IReadOnlyList<string> Traits);

/// <summary>Names of the quality traits, in the spirit of the CryptoNets SDK.</summary>
public static class QualityTraits
{
    public const string TooSmall = "too_small";
    public const string Blurred = "blurred";
    public const string TooDark = "too_dark";
    public const string TooBright = "too_bright";
    public const string LookingLeft = "looking_left";
    public const string LookingRight = "looking_right";
    public const string LookingUp = "looking_up";
    public const string LookingDown = "looking_down";
    public const string EyesClosed = "eyes_closed";
}
