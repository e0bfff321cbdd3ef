using System.Net;

namespace Router.Host.Api;

/// <summary>
/// Where the HTTP API may listen: its default address, and the rule that without API keys it
/// listens on loopback only. The hosts are composed in <c>Composition</c> (ApiHost, RouterHost).
/// </summary>
public static class ApiServer
{
    public const string DefaultUrls = "http://127.0.0.1:18411";

    /// <summary>
    /// Without API keys the API may listen on loopback only; anything else is refused with a clear message.
    /// Checks <c>urls</c> before the start; <see cref="BoundAddressGuard"/> checks what Kestrel bound after it.
    /// </summary>
    public static void CheckBinding(string urls, ApiOptions options)
    {
        if (options.ApiKeys.Length > 0) return;
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IsLoopback(url))
                throw new InvalidOperationException(
                    $"refusing to listen on '{url}' without API keys: set Api:ApiKeys (e.g. ROUTER_Api__ApiKeys__0=KEY) or bind to 127.0.0.1");
        }
    }

    /// <summary>
    /// The first listen address as a loopback URL this host can call itself on (http://0.0.0.0:P and
    /// http://[::]:P become http://127.0.0.1:P); null when none has a port.
    /// </summary>
    public static string? LoopbackUrl(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null) return null;
        first = first.Replace("://0.0.0.0:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://[::]:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal)
            .Replace("://localhost:", "://127.0.0.1:", StringComparison.OrdinalIgnoreCase);
        return Uri.TryCreate(first, UriKind.Absolute, out var uri) && uri.Port > 0 ? uri.GetLeftPart(UriPartial.Authority) + "/" : null;
    }

    /// <summary>Whether a listen address (http://HOST:PORT, as configured or as Kestrel reports it) is loopback only.</summary>
    public static bool IsLoopback(string url)
    {
        var host = url.Contains("://") ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        host = host.Split('/')[0];
        host = host.StartsWith('[') && host.IndexOf(']') > 0 ? host[1..host.IndexOf(']')] : host.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }
}
