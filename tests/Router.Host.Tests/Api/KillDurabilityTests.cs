using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Router.Abstractions;
using Router.Galleries.Storage;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>SIGKILL a real `router serve` in the middle of a burst of adds: every acknowledged face must survive.</summary>
public sealed class KillDurabilityTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "router-kill-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task No_acknowledged_face_is_lost_when_the_server_is_killed_mid_burst()
    {
        // A source face, written straight into the store: this host has no face models to detect one.
        await using (var store = new SqliteGalleryStore(Path.Combine(_dir, "galleries.db")))
        {
            await store.InitializeAsync(default);
            await store.CreateGalleryAsync("seed", default);
            await store.CreateGalleryAsync("burst", default);
            var v = Embeddings.Random(new Random(5));
            await store.InsertFaceAsync(new StoredFace("seed", 1, "{}", "{}", FaceJson.VectorBytes(v)), default);
        }

        var acknowledged = new ConcurrentBag<long>();
        using (var server = await RouterServeProcess.StartAsync(_dir))
        {
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
            {
                for (long n = 0; !stop.IsCancellationRequested; n++)
                {
                    long id = w * 1_000_000L + n;
                    try
                    {
                        using var body = new StringContent($$$"""{"from":"face:seed/1","meta":{"n":{{{id}}}}}""", Encoding.UTF8, "application/json");
                        using var r = await http.PostAsync($"v1/galleries/burst/faces/{id}", body);
                        if (r.StatusCode == HttpStatusCode.Created) acknowledged.Add(id);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                    {
                        return; // the server is gone
                    }
                }
            })).ToArray();
            while (acknowledged.Count < 300)
            {
                if (workers.All(t => t.IsCompleted)) throw new InvalidOperationException("the burst stopped early: " + server.Output);
                await Task.Delay(5);
            }
            server.KillHard(); // requests are in flight right now
            stop.Cancel();
            await Task.WhenAll(workers);
        }
        Assert.True(acknowledged.Count >= 300);

        using var restarted = await RouterServeProcess.StartAsync(_dir);
        using var client = new HttpGalleryClient(restarted.BaseAddress);
        var stored = new HashSet<long>();
        string? page = null;
        do
        {
            var r = await client.Gallery("burst").ListAsync(limit: 10000, page: page);
            foreach (var f in r.Results)
            {
                stored.Add(f.Id.Face);
                Assert.Equal(MetaValue.Of(f.Id.Face), f.Meta["n"]);
            }
            page = r.NextPage;
        } while (page is not null);
        var lost = acknowledged.Where(id => !stored.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged faces were lost, e.g. {string.Join(",", lost.Take(5))}");
        var info = Assert.Single(await client.ListGalleriesAsync(), g => g.Name == "burst");
        Assert.Equal(stored.Count, info.Number);
    }
}
