using Microsoft.Extensions.Options;
using Router.Abstractions;

namespace Router.Host.Ingest;

/// <summary>
/// Which stream URLs a camera may have: network streams of the schemes a camera or a media server
/// speaks (rtsp, rtsps, rtmp, http, https, udp, srt), or an absolute path of a file under one of
/// <see cref="CameraSourceOptions.FileDirectories"/>. Everything else is refused, notably ffmpeg's
/// other protocols (file:, concat:, subfile:, pipe:, data:, ...), which would read other files,
/// and relative paths, whose meaning depends on the working folder.
/// </summary>
public sealed class CameraSourcePolicy
{
    public static readonly IReadOnlyList<string> Schemes = ["rtsp", "rtsps", "rtmp", "http", "https", "udp", "srt"];

    private readonly List<string> _directories;

    public CameraSourcePolicy(IEnumerable<string> directories) =>
        _directories = directories.Where(d => !string.IsNullOrWhiteSpace(d)).Select(Normalize).ToList();

    public CameraSourcePolicy(IOptions<CameraSourceOptions> options) : this(options.Value.FileDirectories) { }

    public IReadOnlyList<string> Directories => _directories;

    /// <summary>Why <paramref name="url"/> is refused; null when allowed.</summary>
    public string? Problem(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return "stream_url is required";
        if (url.Any(char.IsControl)) return "stream_url must not hold control characters";
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && !url.StartsWith('/'))
        {
            var name = url[..scheme];
            return Schemes.Contains(name, StringComparer.OrdinalIgnoreCase) && Uri.TryCreate(url, UriKind.Absolute, out _)
                ? null
                : $"the scheme of a stream URL must be one of {string.Join(", ", Schemes)}, or the URL an absolute path of a local file";
        }
        if (!Path.IsPathFullyQualified(url)) return $"a local stream must be an absolute file path; network streams need a scheme ({string.Join(", ", Schemes)})";
        var path = RealPath(url);
        if (!_directories.Any(d => path.StartsWith(d, StringComparison.Ordinal)))
            return _directories.Count == 0
                ? "local files are not allowed as streams here (CameraSources:FileDirectories is empty)"
                : $"local files must lie under {string.Join(" or ", _directories)} (CameraSources:FileDirectories)";
        return null;
    }

    /// <summary>Throws BAD_PARAM on <paramref name="param"/> when <paramref name="url"/> is refused.</summary>
    public void Check(string? url, string param = "stream_url")
    {
        if (Problem(url) is { } problem) throw RouterException.BadParam(param, url, problem);
    }

    // ".." resolved and symbolic links followed, so neither can lead out of an allowed folder.
    private static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            if (new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target) full = Path.GetFullPath(target.FullName);
            else if (Path.GetDirectoryName(full) is { } dir && new DirectoryInfo(dir).ResolveLinkTarget(true) is { } dirTarget)
                full = Path.Combine(Path.GetFullPath(dirTarget.FullName), Path.GetFileName(full));
        }
        catch (IOException) { } // a dangling or looping link: the file will not open either
        return full;
    }

    private static string Normalize(string directory) => Path.TrimEndingDirectorySeparator(RealPath(directory)) + Path.DirectorySeparatorChar;
}
