namespace Router.Abstractions;

/// <summary>The body of <c>POST /v1/detect</c>: <c>{"faces":[...],"orientation","width","height"}</c>.</summary>
public sealed record WireDetectResponse(IReadOnlyList<WireDetectFace> Faces, int Orientation, int Width, int Height)
{
    public static WireDetectResponse From(DetectResponse r, bool withFacen) =>
        new(r.Faces.Select(f => WireDetectFace.From(f, withFacen)).ToList(), r.Orientation, r.Width, r.Height);

    public DetectResponse ToDetectResponse() => new(Faces.Select(f => f.ToDetectFace()).ToList(), Orientation, Width, Height);
}
