using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Router.Abstractions;

namespace Router.Plugins.Mqtt;

/// <summary>
/// Who a face is in the watched galleries. One search per gallery at the miss threshold with
/// <see cref="GalleryExtensions.IdentifyAsync"/> (per subject, so an operator's "this is not X"
/// holds); the best result is a match at or over the threshold, else a miss.
/// </summary>
public sealed class WatchedGalleries(IGalleryClient client, IReadOnlyList<string> galleries, double threshold, double missThreshold, ILogger logger)
{
    // A missing gallery is worth one warning, not one per face.
    private readonly HashSet<string> _missingReported = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Names => galleries;

    public async Task<Sighting> IdentifyAsync(DetectFace detection, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        Face? best = null;
        foreach (var gallery in galleries)
        {
            Face? found;
            try
            {
                found = await client.Gallery(gallery).IdentifyAsync(detection, missThreshold, ct).ConfigureAwait(false);
            }
            catch (RouterException e) when (e.Code == ErrorCodes.GalleryNotFound)
            {
                lock (_missingReported)
                    if (_missingReported.Add(gallery)) logger.LogWarning("MQTT: watched gallery {Gallery} does not exist", gallery);
                continue;
            }
            if (found is not null && (best is null || found.Confidence > best.Confidence)) best = found;
        }
        watch.Stop();
        if (best is null) return new Sighting(SightingKind.Unknown, null, null, watch.Elapsed);
        // Operators read names, not ids: the subject, else the "name" meta, else the face id.
        var name = best.DisplayName() ?? best.Id.ToString();
        var kind = best.Confidence >= threshold ? SightingKind.Match : SightingKind.Miss;
        return new Sighting(kind, best, name, watch.Elapsed);
    }

    /// <summary>The subjects of the watched galleries, for announcing their sensors at start.</summary>
    public async Task<IReadOnlyList<string>> SubjectsAsync(CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var gallery in galleries)
        {
            try { names.AddRange((await client.Gallery(gallery).ListSubjectsAsync(ct).ConfigureAwait(false)).Select(s => s.Name)); }
            catch (RouterException e) when (e.Code == ErrorCodes.GalleryNotFound) { }
        }
        return names.Distinct(StringComparer.Ordinal).ToArray();
    }
}
