using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Abstractions;

/// <summary>
/// <see cref="FaceFeatures"/> on the wire as an array of snake_case names, lowest flag first:
/// <c>["facen","detection"]</c>, <c>[]</c> for None. The default enum converter would write a
/// flags value as one comma-separated string ("facen, detection") that clients must split.
/// </summary>
public sealed class FaceFeaturesJsonConverter : JsonConverter<FaceFeatures>
{
    private static readonly (FaceFeatures Flag, string Name)[] Names = Enum.GetValues<FaceFeatures>()
        .Where(f => f != FaceFeatures.None)
        .OrderBy(f => (int)f)
        .Select(f => (f, JsonNamingPolicy.SnakeCaseLower.ConvertName(f.ToString())))
        .ToArray();

    public override FaceFeatures Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("features must be an array of feature names");
        var features = FaceFeatures.None;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var name = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            var match = Names.FirstOrDefault(n => n.Name == name);
            if (match.Name is null) throw new JsonException($"unknown feature '{name}'");
            features |= match.Flag;
        }
        return features;
    }

    public override void Write(Utf8JsonWriter writer, FaceFeatures value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var (flag, name) in Names)
            if ((value & flag) != 0) writer.WriteStringValue(name);
        writer.WriteEndArray();
    }
}
