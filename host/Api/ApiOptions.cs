namespace Router.Host.Api;

/// <summary>Configuration of the HTTP API (section "Api").</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Accepted keys for <c>Authorization: Bearer KEY</c>; none means no authentication (loopback only).</summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>Largest request body in bytes (images included); larger ones get 413.</summary>
    public long MaxBodyBytes { get; set; } = 32L * 1024 * 1024;

    public IEnumerable<string> Validate()
    {
        if (MaxBodyBytes < 1024) yield return "Api:MaxBodyBytes must be at least 1024";
        if (ApiKeys.Any(string.IsNullOrWhiteSpace)) yield return "Api:ApiKeys must not hold empty keys";
    }
}
