namespace Router.Host.Plugins.Isolation;

/// <summary>
/// How an isolated plugin's process reaches the host's galleries: the host's own API, on loopback,
/// with one of its keys. Set where the host is composed (it knows the API's address); without it
/// (a host without HTTP) isolated plugins have no gallery client.
/// </summary>
public sealed class IsolatedPluginsApi
{
    public string? Url { get; set; }
    public string? ApiKey { get; set; }
}
