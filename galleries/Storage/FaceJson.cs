using System.Runtime.InteropServices;
using System.Text.Json;
using Router.Abstractions;

namespace Router.Galleries.Storage;

/// <summary>How meta, features and vectors are written to and read from a store.</summary>
public static class FaceJson
{
    public static string Meta(IReadOnlyDictionary<string, MetaValue> meta) => JsonSerializer.Serialize(meta, RouterJson.Options);

    public static IReadOnlyDictionary<string, MetaValue> ParseMeta(string json) =>
        json == "{}" ? new Dictionary<string, MetaValue>() :
        JsonSerializer.Deserialize<Dictionary<string, MetaValue>>(json, RouterJson.Options) ?? new Dictionary<string, MetaValue>();

    public static string Features(FaceAttributes features) =>
        features == FaceAttributes.Empty ? "{}" : JsonSerializer.Serialize(features, RouterJson.Options);

    public static FaceAttributes ParseFeatures(string json) =>
        json == "{}" ? FaceAttributes.Empty : JsonSerializer.Deserialize<FaceAttributes>(json, RouterJson.Options) ?? FaceAttributes.Empty;

    public static byte[] VectorBytes(ReadOnlySpan<float> vector) => MemoryMarshal.AsBytes(vector).ToArray();

    public static ReadOnlySpan<float> Vector(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes);
}
