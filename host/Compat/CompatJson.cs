using System.Text.Json;

namespace Router.Host.Compat;

/// <summary>
/// The compatible APIs (CompreFace, DeepStack) answer with ASP.NET Core's web defaults (camelCase
/// where a name is not spelled out, as their clients were tested against), not the native API's
/// snake_case options that the framework's JSON settings carry for <c>/v1</c>.
/// </summary>
internal static class CompatJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
