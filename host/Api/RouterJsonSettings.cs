using System.Text.Json;
using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>Copies <see cref="RouterJson.Options"/> onto options the framework owns (they cannot be replaced, only set).</summary>
internal static class RouterJsonSettings
{
    public static void CopyTo(JsonSerializerOptions target)
    {
        var source = RouterJson.Options;
        target.PropertyNamingPolicy = source.PropertyNamingPolicy;
        target.DictionaryKeyPolicy = source.DictionaryKeyPolicy;
        target.DefaultIgnoreCondition = source.DefaultIgnoreCondition;
        target.NumberHandling = source.NumberHandling;
        target.PropertyNameCaseInsensitive = source.PropertyNameCaseInsensitive;
        target.Encoder = source.Encoder;
        foreach (var converter in source.Converters) target.Converters.Add(converter);
    }
}
