using System.Globalization;
using System.Text.Json;
using Router.Abstractions;

namespace Router.Plugins.EventLog;

/// <summary>
/// Reads the EventLog layout (see <see cref="EventLogPlugin"/>) without the plugin loaded:
/// the host's events API can construct one over the plugin's DataDirectory.
/// </summary>
public sealed class EventLogReader(string root)
{
    public const string EventsFile = "events.jsonl";

    /// <summary>Events in [from, to) (newest first), optionally of one camera, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<EventRecord> Query(DateTimeOffset from, DateTimeOffset to, string? camId = null, int limit = 100)
    {
        var results = new List<EventRecord>();
        if (!Directory.Exists(root)) return results;
        var days = Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>()
            .Where(d => DateTime.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                        && day.AddDays(1) > from.UtcDateTime.Date && day <= to.UtcDateTime)
            .OrderDescending();
        foreach (var day in days)
        {
            var file = Path.Combine(root, day, EventsFile);
            if (!File.Exists(file)) continue;
            foreach (var line in File.ReadLines(file).Reverse())
            {
                if (line.Length == 0) continue;
                EventRecord? r;
                try { r = JsonSerializer.Deserialize<EventRecord>(line, RouterJson.Options); }
                catch (JsonException) { continue; } // a line cut by a crash: skip it, keep the rest
                if (r is null || r.Timestamp < from || r.Timestamp >= to || (camId is not null && r.CamId != camId)) continue;
                results.Add(r);
                if (results.Count >= limit) return results;
            }
        }
        return results;
    }

    /// <summary>The stored face crop (face0) of an event, or null.</summary>
    public string? FacePath(EventRecord record)
    {
        var path = Path.Combine(root, record.Timestamp.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            record.EventId.ToString(CultureInfo.InvariantCulture) + ".face.jpg");
        return File.Exists(path) ? path : null;
    }
}
