// The cost of the two /metrics exporters Router could use, on the instruments it has: 16 cameras x 6
// observable counters, a plugin latency histogram, a counter. Prints record cost (ns, bytes per call, one
// and two threads) and scrape cost (latency, CPU, bytes allocated per scrape). See README, "Health and metrics".
using System.Diagnostics;
using System.Diagnostics.Metrics;
#if OTEL
using OpenTelemetry.Metrics;
#endif
#if PROM
using Prometheus;
#endif

// Same instruments as the router would have: 16 cameras x 6 observable counters/gauges,
// 3 plugins' latency histograms, a search latency histogram, a counter with a tag.
var meter = new Meter("Bench.Router");
int cameras = 16;
var values = new long[cameras];
for (int c = 0; c < cameras; c++)
{
    var cam = "cam" + c; int ci = c;
    foreach (var name in new[] { "frames_processed", "frames_dropped", "faces_posted", "faces_failed", "faces_not_posted", "job_starts" })
        meter.CreateObservableCounter("router.camera." + name, () => new Measurement<long>(values[ci], new KeyValuePair<string, object?>("camera", cam)));
}
var hist = meter.CreateHistogram<double>("router.plugin.duration", "s", null, null,
    new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
var counter = meter.CreateCounter<long>("router.faces.routed");
var tagA = new KeyValuePair<string, object?>("plugin", "watchlist");

var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:18999");
#if OTEL
builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter("Bench.Router").AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = args.Contains("cache") ? 300 : 0));
#endif
var app = builder.Build();
#if OTEL
app.MapPrometheusScrapingEndpoint();
#endif
#if PROM
Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressProcessMetrics = true, SuppressEventCounters = true, SuppressDebugMetrics = true, SuppressMeters = false });
app.MapMetrics();
#endif
await app.StartAsync();

// Fill some values and histogram buckets for 3 plugins.
var plugins = new[] { "watchlist", "visitors", "eventlog" };
var rng = new Random(1);
for (int i = 0; i < 30000; i++) hist.Record(rng.NextDouble() * 0.05, new KeyValuePair<string, object?>("plugin", plugins[i % 3]));

using var http = new HttpClient();
var first = await http.GetStringAsync("http://127.0.0.1:18999/metrics");
Console.WriteLine($"scrape size {first.Length} bytes, lines {first.Split('\n').Length}");


// Record cost, one thread.
const int N = 5_000_000;
for (int i = 0; i < 100000; i++) { hist.Record(0.01, tagA); counter.Add(1, tagA); }
long a0 = GC.GetAllocatedBytesForCurrentThread();
var sw = Stopwatch.StartNew();
for (int i = 0; i < N; i++) hist.Record(0.001 * (i & 63), tagA);
double histNs = sw.Elapsed.TotalNanoseconds / N;
long histAlloc = GC.GetAllocatedBytesForCurrentThread() - a0;
a0 = GC.GetAllocatedBytesForCurrentThread();
sw.Restart();
for (int i = 0; i < N; i++) counter.Add(1, tagA);
double ctrNs = sw.Elapsed.TotalNanoseconds / N;
long ctrAlloc = GC.GetAllocatedBytesForCurrentThread() - a0;
// Two threads contending.
sw.Restart();
Parallel.For(0, 2, _ => { for (int i = 0; i < N / 2; i++) hist.Record(0.001 * (i & 63), tagA); });
double hist2Ns = sw.Elapsed.TotalNanoseconds / N;
Console.WriteLine($"histogram.Record {histNs:F1} ns ({(double)histAlloc / N:F2} B/op); counter.Add {ctrNs:F1} ns ({(double)ctrAlloc / N:F2} B/op); histogram 2 threads {hist2Ns:F1} ns/op wall");

// Scrape cost: in-process allocations (server + client) and latency over many scrapes.
for (int i = 0; i < 20; i++) await http.GetStringAsync("http://127.0.0.1:18999/metrics");
int S = 500;
var lat = new double[S];
long g0 = GC.GetTotalAllocatedBytes(true);
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
for (int i = 0; i < S; i++)
{
    for (int c = 0; c < cameras; c++) values[c] += i;
    var t = Stopwatch.GetTimestamp();
    var body = await http.GetByteArrayAsync("http://127.0.0.1:18999/metrics");
    lat[i] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
}
var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / S;
long alloc = (GC.GetTotalAllocatedBytes(true) - g0) / S;
Array.Sort(lat);
Console.WriteLine($"scrape p50 {lat[S / 2]:F3} ms p99 {lat[S * 99 / 100]:F3} ms, cpu {cpu:F3} ms/scrape, allocated {alloc} B/scrape (server + client)");
Console.WriteLine(first.Split('\n').Where(l => l.Contains("plugin") && l.Contains("watchlist") && !l.StartsWith('#')).Take(3).Aggregate("", (x, y) => x + y + "\n"));
if (args.Contains("dump")) Console.WriteLine(string.Join("\n", (await http.GetStringAsync("http://127.0.0.1:18999/metrics")).Split('\n').Where(l => l.Contains("bench_router") || l.Contains("Bench.Router")).Where(l => !l.Contains("camera")).Take(30)));
await app.StopAsync();
