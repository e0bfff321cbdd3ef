namespace Router.Models.Faces;

/// <summary>File names of the face models in the models folder.</summary>
public static class ModelFiles
{
    public const string Detector = "fr_detect.onnx";
    public const string Landmarks = "fr_landmark.onnx";
    public const string Embedding = "fr_feature.onnx";
    public const string Gender = "fr_gender.onnx";
    public const string Age = "fr_age.onnx";
    public const string Expression = "fr_expression.onnx";
    public const string Liveness = "fr_liveness.onnx";
    public const string Pose = "fr_pose.onnx";
    public const string Eyes = "fr_eye.onnx";

    public static IReadOnlyList<string> All { get; } = [Detector, Landmarks, Embedding, Gender, Age, Expression, Liveness, Pose, Eyes];
}
