using System.Text;
using Router.Abstractions;

namespace Router.Galleries.Engine;

/// <summary>
/// Bounds on a face's meta, checked by the engine on add and on update (the merged result), so
/// that no client of any kind (HTTP, plugin) can store 10,000 keys or 10 MB values: meta lives in
/// memory for every face of a gallery and is read back at every start. Sizes are UTF-8 bytes; a
/// list's value size is the sum of its strings. A breach is BAD_PARAM naming the key.
/// </summary>
public sealed record MetaLimits(int MaxKeys, int MaxKeyBytes, int MaxValueBytes, int MaxTotalBytes)
{
    /// <summary>
    /// 64 keys, 128-byte keys, 4 KiB values, 16 KiB in all: the sample plugins store 3–4 keys of
    /// under 100 bytes (Visitors' first_seen/last_seen/visits, Watchlist's name), so these leave
    /// two orders of magnitude for other uses while 100,000 faces at the most stay under 1.6 GB.
    /// </summary>
    public static MetaLimits Default { get; } = new(64, 128, 4096, 16384);

    public void Check(IReadOnlyDictionary<string, MetaValue> meta)
    {
        if (meta.Count > MaxKeys)
            throw RouterException.BadParam("meta", meta.Count, $"meta has {meta.Count} keys, over the limit of {MaxKeys}");
        long total = 0;
        foreach (var (key, value) in meta)
        {
            if (string.IsNullOrEmpty(key)) throw RouterException.BadParam("meta", key, "meta keys must be non-empty");
            var keyBytes = Encoding.UTF8.GetByteCount(key);
            if (keyBytes > MaxKeyBytes)
                throw RouterException.BadParam("meta", Shorten(key), $"a meta key of {keyBytes} bytes is over the limit of {MaxKeyBytes}");
            var valueBytes = SizeOf(value);
            if (valueBytes > MaxValueBytes)
                throw RouterException.BadParam("meta." + key, $"{valueBytes} bytes", $"meta '{key}' has a value of {valueBytes} bytes, over the limit of {MaxValueBytes}");
            total += keyBytes + valueBytes;
        }
        if (total > MaxTotalBytes)
            throw RouterException.BadParam("meta", $"{total} bytes", $"meta of {total} bytes in all is over the limit of {MaxTotalBytes}");
    }

    public IEnumerable<string> Validate(string section)
    {
        if (MaxKeys < 1) yield return $"{section}:MetaMaxKeys must be at least 1";
        if (MaxKeyBytes < 1) yield return $"{section}:MetaMaxKeyBytes must be at least 1";
        if (MaxValueBytes < 8) yield return $"{section}:MetaMaxValueBytes must be at least 8 (an integer)";
        if (MaxTotalBytes < MaxValueBytes) yield return $"{section}:MetaMaxTotalBytes must be at least {section}:MetaMaxValueBytes";
    }

    private static long SizeOf(MetaValue value) => value.Kind switch
    {
        MetaKind.Int => 8,
        MetaKind.String => Encoding.UTF8.GetByteCount(value.AsString),
        _ => value.AsList.Sum(s => (long)Encoding.UTF8.GetByteCount(s)),
    };

    private static string Shorten(string key) => key.Length <= 40 ? key : key[..40] + "…";
}
