using System.Reflection;
using Router.Abstractions;
using Router.Host.Api;

namespace Router.Host.Compat.CompreFace;

/// <summary>
/// The query parameters CompreFace's face endpoints share (<c>limit</c>, <c>det_prob_threshold</c>,
/// <c>prediction_count</c>, <c>face_plugins</c>, <c>status</c>) with CompreFace's defaults, and the
/// answer shape of one face: <c>box</c> plus the objects of the plugins asked for.
/// </summary>
public sealed record CompreFaceRequest(int Limit, double DetProbThreshold, int PredictionCount, HashSet<string> Plugins, bool Status)
{
    /// <summary>The face plugins Router serves; others (landmarks, mask) are not computed and their objects do not appear.</summary>
    public static readonly string[] Served = ["age", "gender", "pose", "calculator"];

    private static readonly string Version =
        typeof(CompreFaceRequest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static CompreFaceRequest Parse(IQueryCollection q)
    {
        int limit = q["limit"].ToString() is { Length: > 0 } l ? QueryValues.Int("limit", l) : 0;
        if (limit < 0) throw CompreFaceError.Incorrect("limit must be 0 (all faces) or more");
        double threshold = q["det_prob_threshold"].ToString() is { Length: > 0 } t ? QueryValues.Double("det_prob_threshold", t) : 0.8;
        if (threshold is < 0 or > 1) throw CompreFaceError.Incorrect("det_prob_threshold must be within 0..1");
        int predictions = q["prediction_count"].ToString() is { Length: > 0 } p ? QueryValues.Int("prediction_count", p) : 1;
        if (predictions < 1 || predictions > 100) throw CompreFaceError.Incorrect("prediction_count must be 1..100");
        var plugins = q["face_plugins"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        bool status = q["status"].ToString() is { Length: > 0 } s && QueryValues.Bool("status", s);
        if (q["detect_faces"].ToString() is { Length: > 0 } d && !QueryValues.Bool("detect_faces", d))
            throw CompreFaceError.Incorrect("detect_faces=false is not supported: Router aligns every face from its detection");
        return new CompreFaceRequest(limit, threshold, predictions, plugins, status);
    }

    /// <summary>What the detector must compute besides the embedding for the plugins asked for.</summary>
    public FaceFeatures Features =>
        (Plugins.Contains("age") ? FaceFeatures.Age : 0) | (Plugins.Contains("gender") ? FaceFeatures.Gender : 0) | (Plugins.Contains("pose") ? FaceFeatures.Pose : 0);

    /// <summary>The faces to answer for: those the detector is sure enough of, biggest first, at most <see cref="Limit"/>; NO_FACES_FOUND when none.</summary>
    public IReadOnlyList<DetectFace> Select(IReadOnlyList<DetectFace> biggestFirst)
    {
        var kept = biggestFirst.Where(f => f.DetectionScore >= DetProbThreshold);
        var list = (Limit > 0 ? kept.Take(Limit) : kept).ToList();
        return list.Count > 0 ? list : throw CompreFaceError.NoFace();
    }

    public static CompreFaceBox Box(DetectFace f) =>
        new(Math.Round(f.DetectionScore, 5), f.BBox.Right, f.BBox.Bottom, f.BBox.Left, f.BBox.Top);

    /// <summary>One face's answer: its box and the plugins' objects (age as the estimate itself: Router's age model gives a value, not a range).</summary>
    public CompreFaceFace Face(DetectFace f) => Face<CompreFaceFace>(f);

    /// <summary>One face's answer as <typeparamref name="T"/>, whose own members the caller sets (<c>with</c>).</summary>
    public T Face<T>(DetectFace f) where T : CompreFaceFace, new()
    {
        var a = f.Features;
        return new T
        {
            Box = Box(f),
            Age = Plugins.Contains("age") && a.Age is { } age ? new CompreFaceAge(age, age) : null,
            Gender = Plugins.Contains("gender") && a.Gender is { } g ? new CompreFaceGender(Math.Round(g.Score, 5), g.Gender) : null,
            Pose = Plugins.Contains("pose") && a.Pose is { } p ? new CompreFacePose(Math.Round(p.Pitch, 3), Math.Round(p.Roll, 3), Math.Round(p.Yaw, 3)) : null,
            Embedding = Plugins.Contains("calculator") ? f.Facen : null,
        };
    }

    /// <summary>The answer's <c>plugins_versions</c>: what computed it.</summary>
    public Dictionary<string, string> Versions()
    {
        var v = new Dictionary<string, string> { ["detector"] = "router-" + Version, ["calculator"] = "router-" + Version };
        foreach (var p in Served.Where(Plugins.Contains)) v[p] = "router-" + Version;
        return v;
    }
}
