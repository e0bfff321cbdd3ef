namespace Router.Abstractions;

/// <summary>An error reported by a gallery operation, in process or over HTTP.</summary>
public class GalleryException : RouterException
{
    public GalleryException(string code, string reason, string? param = null, string? value = null, Exception? inner = null)
        : base(code, reason, param, value, inner)
    {
    }
}
