using System.Globalization;
using Microsoft.Extensions.Options;
using Router.Abstractions;
using Router.Models;

namespace Router.Host.Demo;

/// <summary>
/// Prepares the demo before the cameras start: makes the demo clip if it is missing, and
/// creates and seeds the watchlist gallery from the faces of one sample photo the first time
/// only (a gallery that already exists is left as it is, so restarts never seed twice).
/// </summary>
public sealed class DemoSetupHostedService(IOptions<DemoOptions> options, IGalleryClient galleries, ILogger<DemoSetupHostedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled) return;
        var existed = File.Exists(o.Video);
        var started = System.Diagnostics.Stopwatch.StartNew();
        await DemoVideo.EnsureAsync(AssetLocator.PhotosDirectory, o.Video, o.SecondsPerPhoto, ct);
        if (!existed) logger.LogInformation("demo: made the demo clip {Video} in {Seconds:F1} s", o.Video, started.Elapsed.TotalSeconds);
        await SeedAsync(o, ct);
    }

    private async Task SeedAsync(DemoOptions o, CancellationToken ct)
    {
        var existing = await galleries.ListGalleriesAsync(ct);
        if (existing.Any(g => g.Name == o.Gallery))
        {
            logger.LogInformation("demo: gallery {Gallery} exists ({Faces} faces); not seeding", o.Gallery, existing.First(g => g.Name == o.Gallery).Number);
            return;
        }
        var photo = await File.ReadAllBytesAsync(Path.Combine(AssetLocator.PhotosDirectory, o.SeedPhoto), ct);
        var detected = await galleries.DetectAsync(photo, FaceFeatures.Facen, ct: ct);
        var gallery = galleries.Gallery(o.Gallery);
        await gallery.CreateAsync(ct);
        // Left to right, so that "person 1" is the leftmost face of the photo.
        var faces = detected.Faces.Where(f => f.Id is not null).OrderBy(f => f.BBox.Left).ToList();
        var added = new List<string>();
        for (int i = 0; i < faces.Count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileNameWithoutExtension(o.SeedPhoto)} person {i + 1}");
            var face = await gallery.AddAsync(null, FaceSource.FromDetection(faces[i].Id!), new Dictionary<string, MetaValue>
            {
                ["name"] = name,
                ["source"] = o.SeedPhoto,
            }, regenerateAttempts: 5, ct: ct, subject: name);
            added.Add($"{face.Id.Face}={name}");
        }
        logger.LogInformation("demo: created gallery {Gallery} with {Count} faces of {Photo}: {Faces}",
            o.Gallery, added.Count, o.SeedPhoto, string.Join(", ", added));
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
