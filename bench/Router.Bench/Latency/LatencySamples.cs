using System.Diagnostics;

namespace Router.Bench;

/// <summary>
/// The latency benchmark's samples, one per track of a measured appearance (each face of the photo is
/// its own track): milliseconds from the appearance's capture (<see cref="RtspBenchCamera"/>) to the
/// track's first event and to its first Watchlist alert, and the first event's time split into its
/// parts from the Stopwatch stamps the pipeline put on it.
/// </summary>
internal sealed class LatencySamples
{
    /// <summary>Capture → first event of the track.</summary>
    public List<double> Event { get; } = [];
    /// <summary>Capture → the track's first alert received by the webhook listener.</summary>
    public List<double> Alert { get; } = [];
    /// <summary>Capture → the posted frame off Router's ffmpeg pipe: encoder, RTSP, ffmpeg's buffers and decode, the detect_fps pick.</summary>
    public List<double> Ingest { get; } = [];
    /// <summary>Posted frame off the pipe → the frame that triggered the post off the pipe: the best-shot wait (interval, track end).</summary>
    public List<double> BestShotWait { get; } = [];
    /// <summary>Triggering frame off the pipe → event published: frame queue, detection, tracking, quality, crop, JPEG.</summary>
    public List<double> Processing { get; } = [];
    /// <summary>The alerted event published → webhook received: event queue, feature extraction, search, plugin, webhook POST.</summary>
    public List<double> Routing { get; } = [];
    public int Appearances { get; private set; }
    public int AppearancesWithoutEvent { get; private set; }
    public int Tracks => Event.Count;
    public int TracksWithoutAlert { get; private set; }
    public int Events { get; private set; }

    public static LatencySamples Pair(IReadOnlyList<long> shown, int warmup, int count, IReadOnlyList<TimedEvent> events,
        IReadOnlyList<(ulong EventId, long Ticks)> alerts)
    {
        var s = new LatencySamples { Appearances = count };
        var alertTicks = alerts.GroupBy(a => a.EventId).ToDictionary(g => g.Key, g => g.Min(a => a.Ticks));
        // Each event belongs to the last appearance captured before its posted frame reached Router.
        var byAppearance = events.GroupBy(e => AppearanceOf(shown, e.FrameReceivedTicks)).ToDictionary(g => g.Key, g => g.ToList());
        for (int i = warmup; i < warmup + count && i < shown.Count; i++)
        {
            if (!byAppearance.TryGetValue(i, out var mine)) { s.AppearancesWithoutEvent++; continue; }
            s.Events += mine.Count;
            foreach (var track in mine.GroupBy(e => e.TrackId))
            {
                var first = track.MinBy(e => e.PublishedTicks)!;
                s.Event.Add(Ms(shown[i], first.PublishedTicks));
                s.Ingest.Add(Ms(shown[i], first.FrameReceivedTicks));
                s.BestShotWait.Add(Ms(first.FrameReceivedTicks, first.TriggerReceivedTicks));
                s.Processing.Add(Ms(first.TriggerReceivedTicks, first.PublishedTicks));
                var alerted = track.Where(e => alertTicks.ContainsKey(e.EventId)).MinBy(e => alertTicks[e.EventId]);
                if (alerted is null) { s.TracksWithoutAlert++; continue; }
                s.Alert.Add(Ms(shown[i], alertTicks[alerted.EventId]));
                s.Routing.Add(Ms(alerted.PublishedTicks, alertTicks[alerted.EventId]));
            }
        }
        return s;
    }

    private static int AppearanceOf(IReadOnlyList<long> shown, long ticks)
    {
        int i = -1;
        while (i + 1 < shown.Count && shown[i + 1] <= ticks) i++;
        return i;
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    /// <summary>Nearest-rank percentile (0..100) in ms; NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
