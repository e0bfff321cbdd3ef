using System.Text.Json;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Host.Pipeline;

namespace Router.Host.Events;

/// <summary>
/// Face events that a stop left unrouted, kept in a JSON-lines file in the data folder
/// (<see cref="EventsOptions.JournalPath"/>, one event a line, photos in base64) and routed at
/// the next start. Writes append and are flushed to disk before the stop goes on; the start takes
/// the whole file and deletes it, and whatever of it the next stop finds unrouted is written again.
/// (A SIGKILL between that start and the routing loses what was taken: no shutdown code runs then.)
/// </summary>
public sealed class EventJournal(IOptions<EventsOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(RouterJson.Options) { WriteIndented = false };

    public string Path { get; } = System.IO.Path.GetFullPath(options.Value.JournalPath);

    public void Write(IReadOnlyCollection<FaceEvent> events)
    {
        if (events.Count == 0) return;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.None);
        using (var writer = new StreamWriter(file, leaveOpen: true))
            foreach (var e in events)
                writer.WriteLine(JsonSerializer.Serialize(new JournalEntry(e.EventId, e.TrackEnded, e.Request), Json));
        file.Flush(flushToDisk: true);
    }

    /// <summary>Every journaled event, oldest first, and the file removed; a line that does not parse is skipped and counted.</summary>
    public (List<FaceEvent> Events, int Unreadable) TakeAll()
    {
        var events = new List<FaceEvent>();
        var unreadable = 0;
        if (!File.Exists(Path)) return (events, 0);
        foreach (var line in File.ReadLines(Path))
        {
            if (line.Length == 0) continue;
            try
            {
                var entry = JsonSerializer.Deserialize<JournalEntry>(line, Json);
                if (entry?.Request is null) { unreadable++; continue; }
                events.Add(new FaceEvent { EventId = entry.EventId, Request = entry.Request, TrackEnded = entry.TrackEnded });
            }
            catch (JsonException) { unreadable++; }
        }
        File.Delete(Path);
        return (events, unreadable);
    }

    private sealed record JournalEntry(ulong EventId, bool TrackEnded, FaceRequest Request);
}
