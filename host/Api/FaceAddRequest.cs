using System.Text.Json;
using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>Body of <c>POST /v1/galleries/{name}/faces[/{id}]</c>.</summary>
/// <param name="From">'detection:&lt;id&gt;', 'face:&lt;gallery&gt;/&lt;id&gt;' or 'event:&lt;id&gt;'.</param>
/// <param name="Meta">Meta values by key: string, integer, or an array of strings (a tag set); null keys are skipped.</param>
/// <param name="RegenerateAttempts">How many times to retry a generated id that is taken.</param>
/// <param name="Force">Skip the enrollment gate (quality, size, pose).</param>
/// <param name="Subject">The person the face belongs to.</param>
public sealed record FaceAddRequest(
    string? From,
    Dictionary<string, JsonElement>? Meta = null,
    int? RegenerateAttempts = null,
    bool? Force = null,
    string? Subject = null)
{
    /// <summary>Meta values, each checked as the key it came from (BAD_PARAM "meta.KEY").</summary>
    public static Dictionary<string, MetaValue> MetaOf(Dictionary<string, JsonElement>? meta)
    {
        var result = new Dictionary<string, MetaValue>();
        if (meta is null) return result;
        foreach (var (key, value) in meta)
            if (value.ValueKind != JsonValueKind.Null)
                result[key] = MetaValue.FromJson(value, "meta." + key);
        return result;
    }
}
