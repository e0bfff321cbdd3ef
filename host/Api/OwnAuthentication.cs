namespace Router.Host.Api;

/// <summary>
/// Endpoint metadata: the endpoint checks its callers itself, as its clients expect (the compatible
/// APIs: CompreFace's <c>x-api-key</c>, DeepStack's form field <c>api_key</c>), so the admin API's
/// bearer check (<see cref="ApiKeyMiddleware"/>) leaves it alone when <see cref="AppliesTo"/> says so.
/// </summary>
/// <param name="applies">When it applies (null: always).</param>
/// <param name="keyHeader">The request header that carries the key, for the OpenAPI document (null: not a header).</param>
public sealed class OwnAuthentication(Func<HttpContext, bool>? applies = null, string? keyHeader = null)
{
    public bool AppliesTo(HttpContext context) => applies?.Invoke(context) ?? true;

    public string? KeyHeader => keyHeader;
}
