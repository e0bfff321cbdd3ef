using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Router.Galleries.Engine;

/// <summary>
/// The engine's instruments (meter <see cref="MeterName"/>): the time of each list or search and
/// the number of faces in each gallery. Sizes are observed at collection time from the index, so
/// nothing is counted twice and adds/deletes cost nothing extra.
/// </summary>
public sealed class GalleryEngineMetrics
{
    public const string MeterName = "Router.Galleries";

    // Seconds; a 1:N search over 1M faces takes ~25 ms, a plain listing well under 1 ms.
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    /// <summary>The <c>kind</c> of a search: a plain listing, a similarity search over faces, or one per subject.</summary>
    internal static readonly KeyValuePair<string, object?> Listing = new("kind", "list");
    internal static readonly KeyValuePair<string, object?> Similarity = new("kind", "similarity");
    internal static readonly KeyValuePair<string, object?> Subjects = new("kind", "subjects");
    private readonly Histogram<double> _searchDuration;

    internal GalleryEngineMetrics(IMeterFactory factory, Func<IEnumerable<Measurement<long>>> gallerySizes)
    {
        var meter = factory.Create(MeterName);
        _searchDuration = meter.CreateHistogram<double>("router.gallery.search.duration", "s",
            "Time of one gallery list (kind=list), similarity search (kind=similarity) or per-subject search (kind=subjects), end to end: scan and exact re-rank",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        meter.CreateObservableGauge("router.gallery.faces", gallerySizes, "{face}", "Faces in each gallery");
    }

    internal void SearchDone(string gallery, long startTimestamp, KeyValuePair<string, object?> kind) =>
        _searchDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("gallery", gallery), kind);
}
