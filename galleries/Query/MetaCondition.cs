using System.Globalization;
using Router.Abstractions;

namespace Router.Galleries.Query;

/// <summary>
/// One meta filter prepared for the scan. Query values are kept both as integers (when
/// every value reads as one: HTTP query strings arrive as text) and as strings, and the
/// stored value's kind decides which comparison applies. A comparison that makes no sense
/// for the stored kind is BAD_PARAM naming the filter.
/// </summary>
public sealed class MetaCondition
{
    private readonly long[]? _ints;
    private readonly string[]? _strings;
    private readonly HashSet<long>? _intSet;
    private readonly HashSet<string>? _stringSet;

    public MetaCondition(MetaFilter filter)
    {
        Key = filter.Key;
        Op = filter.Op;
        Param = "meta." + filter.Key;
        Value = string.Join(",", filter.Values.Select(v => v.ToString()));
        if (string.IsNullOrEmpty(filter.Key))
            throw RouterException.BadParam("meta", filter.Key, "a meta filter needs a key");
        if (filter.Values.Count == 0)
            throw RouterException.BadParam(Param, "", "a meta filter needs at least one value");
        if ((Op is FilterOp.Lte or FilterOp.Gte) && filter.Values.Count != 1)
            throw RouterException.BadParam(Param, Value, "lte and gte take exactly one value");
        if (filter.Values.Any(v => v.Kind == MetaKind.StringList))
            throw RouterException.BadParam(Param, Value, "filter values must be integers or strings, not lists");

        var ints = new List<long>();
        foreach (var v in filter.Values)
        {
            if (v.Kind == MetaKind.Int) ints.Add(v.AsInt);
            else if (long.TryParse(v.AsString, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) ints.Add(n);
            else { ints = null; break; }
        }
        _ints = ints?.ToArray();
        if (filter.Values.All(v => v.Kind == MetaKind.String))
            _strings = filter.Values.Select(v => v.AsString).ToArray();
        if (Op == FilterOp.OneOf)
        {
            if (_ints is not null) _intSet = [.. _ints];
            if (_strings is not null) _stringSet = new HashSet<string>(_strings, StringComparer.Ordinal);
        }
    }

    public string Key { get; }
    public FilterOp Op { get; }
    public string Param { get; }
    public string Value { get; }

    public bool Matches(IReadOnlyDictionary<string, MetaValue> meta)
    {
        if (!meta.TryGetValue(Key, out var stored)) return false;
        switch (stored.Kind)
        {
            case MetaKind.Int:
                if (_ints is null || Op == FilterOp.Subset) throw Mismatch("an integer");
                long n = stored.AsInt;
                return Op switch
                {
                    FilterOp.Lte => n <= _ints[0],
                    FilterOp.Gte => n >= _ints[0],
                    _ => _intSet!.Contains(n),
                };
            case MetaKind.String:
                if (_strings is null) throw Mismatch("a string");
                var s = stored.AsString;
                return Op switch
                {
                    FilterOp.Lte => string.CompareOrdinal(s, _strings[0]) <= 0,
                    FilterOp.Gte => string.CompareOrdinal(s, _strings[0]) >= 0,
                    FilterOp.OneOf => _stringSet!.Contains(s),
                    _ => AllEqual(_strings, s),
                };
            default:
                if (_strings is null || Op is FilterOp.Lte or FilterOp.Gte) throw Mismatch("a list of strings");
                // Index loops: foreach/LINQ over an IReadOnlyList would allocate an enumerator per face.
                var list = stored.AsList;
                if (Op == FilterOp.OneOf)
                {
                    for (int i = 0; i < list.Count; i++)
                        if (_stringSet!.Contains(list[i])) return true;
                    return false;
                }
                foreach (var q in _strings)
                    if (!ListContains(list, q)) return false;
                return true;
        }
    }

    // A loop, not a LINQ lambda: a lambda capturing `s` would allocate a closure on every call
    // (the switch shares one scope), and this runs once per face in the scan.
    private static bool AllEqual(string[] values, string s)
    {
        foreach (var v in values)
            if (v != s) return false;
        return true;
    }

    private static bool ListContains(IReadOnlyList<string> list, string value)
    {
        for (int i = 0; i < list.Count; i++)
            if (string.Equals(list[i], value, StringComparison.Ordinal)) return true;
        return false;
    }

    private RouterException Mismatch(string storedKind) => RouterException.BadParam(Param, Value,
        $"meta '{Key}' holds {storedKind}; the {Op.ToString().ToLowerInvariant()} filter value does not fit it");
}
