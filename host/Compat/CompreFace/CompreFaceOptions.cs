namespace Router.Host.Compat.CompreFace;

/// <summary>
/// The CompreFace-compatible API (section "CompreFace"): served under <c>/api/v1</c> when keys are
/// configured. Each <c>x-api-key</c> belongs to one service, and a recognition key to one gallery,
/// so one Router serves several face collections. Keys are secrets, like Api:ApiKeys.
/// </summary>
public sealed class CompreFaceOptions
{
    public const string Section = "CompreFace";

    public List<CompreFaceKey> Keys { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        for (int i = 0; i < Keys.Count; i++)
        {
            var k = Keys[i];
            if (string.IsNullOrWhiteSpace(k.Key)) yield return $"CompreFace:Keys:{i}:Key must be set";
            if (k.Service is not (CompreFaceKey.Recognition or CompreFaceKey.Detection or CompreFaceKey.Verification))
                yield return $"CompreFace:Keys:{i}:Service must be recognition, detection or verification, not '{k.Service}'";
            if (k.Service == CompreFaceKey.Recognition && string.IsNullOrWhiteSpace(k.Gallery))
                yield return $"CompreFace:Keys:{i}:Gallery must name the gallery a recognition key serves";
        }
        foreach (var duplicate in Keys.GroupBy(k => k.Key).Where(g => g.Count() > 1))
            yield return "CompreFace:Keys holds the same key more than once";
    }
}

/// <summary>One CompreFace API key: the service it opens and, for recognition, its gallery (created on first use).</summary>
public sealed class CompreFaceKey
{
    public const string Recognition = "recognition";
    public const string Detection = "detection";
    public const string Verification = "verification";

    public string Key { get; set; } = "";
    public string Service { get; set; } = Recognition;
    public string? Gallery { get; set; }
}
