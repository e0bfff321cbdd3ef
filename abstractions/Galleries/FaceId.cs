namespace Router.Abstractions;

/// <summary>A face's identity: the gallery it lives in and its 64-bit id there.</summary>
public readonly record struct FaceId(string Gallery, long Face)
{
    public override string ToString() => $"{Gallery}/{Face}";
}
