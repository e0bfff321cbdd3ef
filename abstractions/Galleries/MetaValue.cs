using System.Text.Json;
using System.Text.Json.Serialization;

namespace Router.Abstractions;

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "the meta kinds of sfapi's client, part of the plugin contract")]
public enum MetaKind { Int, String, StringList }

/// <summary>A face meta value: a 64-bit integer, a string or a list of strings.</summary>
[JsonConverter(typeof(MetaValueJsonConverter))]
public readonly struct MetaValue : IEquatable<MetaValue>
{
    private readonly long _int;
    private readonly string? _string;
    private readonly IReadOnlyList<string>? _list;

    private MetaValue(MetaKind kind, long i, string? s, IReadOnlyList<string>? l)
    {
        Kind = kind; _int = i; _string = s; _list = l;
    }

    public MetaKind Kind { get; }

    public static MetaValue Of(long value) => new(MetaKind.Int, value, null, null);
    public static MetaValue Of(string value) => new(MetaKind.String, 0, value ?? throw new ArgumentNullException(nameof(value)), null);
    public static MetaValue Of(IEnumerable<string> values) => new(MetaKind.StringList, 0, null, values.ToArray());

    public static implicit operator MetaValue(long value) => Of(value);
    public static implicit operator MetaValue(int value) => Of(value);
    public static implicit operator MetaValue(string value) => Of(value);
    public static implicit operator MetaValue(string[] values) => Of(values);

    public long AsInt => Kind == MetaKind.Int ? _int : throw new InvalidOperationException($"meta value is {Kind}, not Int");
    public string AsString => Kind == MetaKind.String ? _string! : throw new InvalidOperationException($"meta value is {Kind}, not String");
    public IReadOnlyList<string> AsList => Kind == MetaKind.StringList ? _list! : throw new InvalidOperationException($"meta value is {Kind}, not StringList");

    public bool Equals(MetaValue other) => Kind == other.Kind && Kind switch
    {
        MetaKind.Int => _int == other._int,
        MetaKind.String => _string == other._string,
        _ => _list!.SequenceEqual(other._list!),
    };

    public override bool Equals(object? obj) => obj is MetaValue m && Equals(m);
    public static bool operator ==(MetaValue left, MetaValue right) => left.Equals(right);
    public static bool operator !=(MetaValue left, MetaValue right) => !left.Equals(right);
    public override int GetHashCode() => Kind switch
    {
        MetaKind.Int => _int.GetHashCode(),
        MetaKind.String => _string!.GetHashCode(),
        _ => _list!.Aggregate(17, (h, s) => h * 31 + s.GetHashCode()),
    };

    public override string ToString() => Kind switch
    {
        MetaKind.Int => _int.ToString(System.Globalization.CultureInfo.InvariantCulture),
        MetaKind.String => _string!,
        _ => "[" + string.Join(",", _list!) + "]",
    };

    /// <summary>Reads a JSON value as a meta value; anything but an integer, a string or an array of strings is BAD_PARAM.</summary>
    public static MetaValue FromJson(JsonElement e, string param)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Number when e.TryGetInt64(out var i):
                return Of(i);
            case JsonValueKind.String:
                return Of(e.GetString()!);
            case JsonValueKind.Array:
                var list = new List<string>();
                foreach (var item in e.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                        throw RouterException.BadParam(param, e.GetRawText(), "a meta list may hold only strings");
                    list.Add(item.GetString()!);
                }
                return Of(list);
            default:
                throw RouterException.BadParam(param, e.GetRawText(), "a meta value must be an integer, a string or a list of strings");
        }
    }
}

public sealed class MetaValueJsonConverter : JsonConverter<MetaValue>
{
    public override MetaValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        return MetaValue.FromJson(doc.RootElement, "meta");
    }

    public override void Write(Utf8JsonWriter writer, MetaValue value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case MetaKind.Int: writer.WriteNumberValue(value.AsInt); break;
            case MetaKind.String: writer.WriteStringValue(value.AsString); break;
            default:
                writer.WriteStartArray();
                foreach (var s in value.AsList) writer.WriteStringValue(s);
                writer.WriteEndArray();
                break;
        }
    }
}
