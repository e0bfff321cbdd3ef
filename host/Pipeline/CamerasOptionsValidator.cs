using Microsoft.Extensions.Options;
using Router.Host.Ingest;

namespace Router.Host.Pipeline;

/// <summary>Start-up validation of the configured cameras, with the offending camera and setting named.</summary>
public sealed class CamerasOptionsValidator : IValidateOptions<CamerasOptions>
{
    private readonly CameraSourcePolicy _sources;

    public CamerasOptionsValidator(CameraSourcePolicy sources) => _sources = sources;

    public ValidateOptionsResult Validate(string? name, CamerasOptions options)
    {
        var failures = new List<string>();
        foreach (var (id, entry) in options.Cameras)
        {
            if (string.IsNullOrWhiteSpace(entry.Url)) failures.Add($"camera {id}: Url is required");
            else if (_sources.Problem(entry.Url) is { } source) failures.Add($"camera {id}: Url={entry.Url}: {source}");
            foreach (var problem in entry.Settings.Problems()) failures.Add($"camera {id}: {problem}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
