using System.Diagnostics;

namespace Router.Host.Pipeline;

/// <summary>
/// A sink for benchmarks: records, per event, the time from the frame that triggered it
/// coming off ffmpeg's pipe to its publication (processing latency), and from the posted
/// (best) frame to publication (best-shot age, which includes waiting for the interval to end).
/// </summary>
public sealed class LatencyRecordingSink : IFaceEventSink
{
    private readonly object _lock = new();
    private readonly List<double> _trigger = new(), _bestShotAge = new();
    private bool _recording;

    public void StartRecording()
    {
        lock (_lock) { _trigger.Clear(); _bestShotAge.Clear(); _recording = true; }
    }

    public ValueTask PublishAsync(FaceEvent e, CancellationToken ct)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            if (_recording)
            {
                _trigger.Add(Stopwatch.GetElapsedTime(e.TriggerReceivedTicks, now).TotalMilliseconds);
                _bestShotAge.Add(Stopwatch.GetElapsedTime(e.FrameReceivedTicks, now).TotalMilliseconds);
            }
        }
        return ValueTask.CompletedTask;
    }

    public int Count { get { lock (_lock) return _trigger.Count; } }

    /// <summary>The <paramref name="p"/>-th percentile (0..100) in ms of trigger latency and of best-shot age; NaN when empty.</summary>
    public (double Trigger, double BestShotAge) Percentile(double p)
    {
        lock (_lock) return (Of(_trigger, p), Of(_bestShotAge, p));
    }

    private static double Of(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
