using Microsoft.Extensions.Options;

namespace Router.Host.Events;

/// <summary>Start-up validation of the "Events" section, every problem named at once.</summary>
public sealed class EventsOptionsValidator : IValidateOptions<EventsOptions>
{
    public ValidateOptionsResult Validate(string? name, EventsOptions options)
    {
        var problems = options.Problems().ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
