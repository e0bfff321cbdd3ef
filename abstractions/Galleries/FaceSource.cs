namespace Router.Abstractions;

/// <summary>
/// Where a new gallery face takes its feature vector from: a cached detection
/// (<c>detection:ID</c>) or a face of any gallery (<c>face:GALLERY/ID</c>).
/// </summary>
public abstract record FaceSource
{
    public static FaceSource FromDetection(string detectionId) => new DetectionSource(detectionId);
    public static FaceSource FromFace(FaceId face) => new StoredFaceSource(face);

    public static implicit operator FaceSource(DetectFace detection) =>
        FromDetection(detection.Id ?? throw RouterException.BadParam("from", null,
            "the detection has no id: detect with facen to make it usable as a source"));
    public static implicit operator FaceSource(FaceId face) => FromFace(face);
    public static implicit operator FaceSource(Face face) => FromFace(face.Id);

    /// <summary>Parses <c>detection:ID</c> or <c>face:GALLERY/ID</c>; anything else is BAD_PARAM for <paramref name="param"/>.</summary>
    public static FaceSource Parse(string text, string param = "from")
    {
        if (text.StartsWith("detection:", StringComparison.Ordinal) && text.Length > "detection:".Length)
            return new DetectionSource(text["detection:".Length..]);
        if (text.StartsWith("face:", StringComparison.Ordinal))
        {
            var rest = text["face:".Length..];
            int slash = rest.LastIndexOf('/');
            if (slash > 0 && long.TryParse(rest[(slash + 1)..], System.Globalization.NumberStyles.Integer,
                    System.Globalization.CultureInfo.InvariantCulture, out var id))
                return new StoredFaceSource(new FaceId(rest[..slash], id));
        }
        throw RouterException.BadParam(param, text, "expected 'detection:<id>' or 'face:<gallery>/<id>'");
    }
}

public sealed record DetectionSource(string DetectionId) : FaceSource
{
    public override string ToString() => "detection:" + DetectionId;
}

public sealed record StoredFaceSource(FaceId Face) : FaceSource
{
    public override string ToString() => $"face:{Face.Gallery}/{Face.Face}";
}
