using Microsoft.Extensions.Options;
using Router.Galleries;

namespace Router.Host.Galleries;

/// <summary>Fails start-up with every problem of the "Galleries" section spelled out.</summary>
internal sealed class GalleryOptionsValidator : IValidateOptions<GalleryOptions>
{
    public ValidateOptionsResult Validate(string? name, GalleryOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
