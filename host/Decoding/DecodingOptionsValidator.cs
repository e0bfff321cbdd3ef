using Microsoft.Extensions.Options;

namespace Router.Host.Decoding;

internal sealed class DecodingOptionsValidator : IValidateOptions<DecodingOptions>
{
    public ValidateOptionsResult Validate(string? name, DecodingOptions options)
    {
        var problems = options.Validate().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
