using Microsoft.Extensions.Options;

namespace Router.Host.Compat.CompreFace;

internal sealed class CompreFaceOptionsValidator : IValidateOptions<CompreFaceOptions>
{
    public ValidateOptionsResult Validate(string? name, CompreFaceOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
