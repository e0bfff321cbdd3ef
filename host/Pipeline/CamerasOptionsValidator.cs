using Microsoft.Extensions.Options;

namespace Router.Host.Pipeline;

/// <summary>Start-up validation of the configured cameras, with the offending camera and setting named.</summary>
public sealed class CamerasOptionsValidator : IValidateOptions<CamerasOptions>
{
    public ValidateOptionsResult Validate(string? name, CamerasOptions options)
    {
        var failures = new List<string>();
        foreach (var (id, entry) in options.Cameras)
        {
            if (string.IsNullOrWhiteSpace(entry.Url)) failures.Add($"camera {id}: Url is required");
            foreach (var problem in entry.Settings.Problems()) failures.Add($"camera {id}: {problem}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
