using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Router.Abstractions;

namespace Router.Plugins.Mqtt;

/// <summary>
/// MQTT: publishes face events and matches to an MQTT broker in the topics and payloads Home
/// Assistant users know from Double Take, and announces one Home Assistant sensor per watched person.
/// <para>
/// For every face (of the <c>cameras</c> listed, or all) it searches the watched galleries and
/// publishes, under <c>topic_prefix</c> (default "router"):
/// <c>matches/{name}</c> for a match (Double Take's payload: id, duration, timestamp, attempts, camera, zones,
/// match {name, confidence in percent, match, box}); <c>people/{name}</c>, retained, with where and when the
/// person was last seen (the state of their Home Assistant sensor); <c>cameras/{camera}</c> for every face,
/// with the event's matches, misses and unknowns and the camera's totals; and <c>available</c>, retained,
/// "online" while connected and "offline" as the last will. With discovery on, the first match of a person
/// (and each subject of the watched galleries at start) publishes a retained Home Assistant discovery config on
/// <c>{discovery:prefix}/sensor/{discovery:node}/{person}/config</c>.
/// </para>
/// <para>
/// ProcessAsync only queues: a background publisher (<see cref="MqttPublisher"/>) connects, reconnects with
/// exponential back-off, and keeps up to <c>queue</c> messages while the broker is away; beyond that messages are
/// dropped and counted (<see cref="Publisher"/>).
/// </para>
/// Settings: <c>host</c> (127.0.0.1), <c>port</c> (1883), <c>username</c>, <c>password</c>, <c>client_id</c>,
/// <c>topic_prefix</c> (router), <c>galleries</c> (list), <c>threshold</c> (<see cref="MatchThresholds.Identification"/>),
/// <c>miss_threshold</c> (<see cref="MatchThresholds.Verification"/>), <c>cameras</c> (list), <c>queue</c> (1000),
/// <c>retain:matches</c> (false), <c>retain:cameras</c> (false), <c>retain:people</c> (true), <c>discovery:enabled</c> (true),
/// <c>discovery:prefix</c> (homeassistant), <c>discovery:node</c> (the topic prefix), <c>reconnect:backoff</c> (1 s, doubling),
/// <c>reconnect:max</c> (60 s), <c>keepalive</c> (15 s), <c>timeout</c> (10 s).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "the host ends a plugin with ShutdownAsync, which releases it")]
public sealed class MqttPlugin : IFaceRouterPlugin
{
    private readonly IPluginContext _context;
    private readonly MqttSettings _settings;
    private readonly MqttTopics _topics;
    private readonly WatchedGalleries _watched;
    private readonly HomeAssistantDiscovery? _discovery;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, long[]> _cameraTotals = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _announceSubjects;
    private long _matches, _misses, _unknowns;

    public MqttPlugin(IPluginContext context, ILogger<MqttPlugin> logger)
    {
        _context = context;
        _logger = logger;
        _settings = MqttSettings.Read(context.Settings);
        _topics = new MqttTopics(_settings.TopicPrefix);
        _watched = new WatchedGalleries(context.Galleries, _settings.Galleries, _settings.Threshold, _settings.MissThreshold, logger);
        if (_settings.Discovery) _discovery = new HomeAssistantDiscovery(_settings.DiscoveryPrefix, _settings.DiscoveryNode, _topics);
        Publisher = new MqttPublisher(_settings.Connection, _settings.QueueSize, () => _discovery?.Announced ?? [], logger);
        if (_settings.Galleries.Count == 0)
            logger.LogInformation("MQTT: no galleries to match against (settings 'galleries'): every face is published as unknown");
        _announceSubjects = _discovery is null ? Task.CompletedTask : Task.Run(AnnounceSubjectsAsync);
    }

    /// <summary>The publisher's counters: published, dropped, queued, connects.</summary>
    public MqttPublisher Publisher { get; }
    public MqttTopics Topics => _topics;
    public long Matches => Interlocked.Read(ref _matches);
    public long Misses => Interlocked.Read(ref _misses);
    public long Unknowns => Interlocked.Read(ref _unknowns);

    /// <summary>Completes when the subjects present at start have been announced to Home Assistant (queued).</summary>
    public Task SubjectsAnnounced => _announceSubjects;

    public ValueTask<FaceFeatures> PreprocessAsync(FaceRequest request, IReadOnlyDictionary<string, string> labels, CancellationToken ct) =>
        ValueTask.FromResult(_settings.Cameras.Count == 0 || _settings.Cameras.Contains(request.CamId) ? FaceFeatures.Facen : FaceFeatures.None);

    public async ValueTask ProcessAsync(FaceRequest request, ReadOnlyMemory<byte> photo, BBox bbox, ulong eventId, DetectFace detection, CancellationToken ct)
    {
        var sighting = _settings.Galleries.Count == 0
            ? new Sighting(SightingKind.Unknown, null, null, TimeSpan.Zero)
            : await _watched.IdentifyAsync(detection, ct).ConfigureAwait(false);
        var id = eventId.ToString(CultureInfo.InvariantCulture);
        var timestamp = request.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var duration = Math.Round(sighting.SearchTime.TotalSeconds, 3);
        var zones = Zones(request.Labels);
        var result = Result(sighting, bbox);

        if (sighting.Kind == SightingKind.Match)
        {
            var name = sighting.Name!;
            Interlocked.Increment(ref _matches);
            if (_discovery?.Announce(name) is { } config) Publisher.TryEnqueue(config);
            Publish(_topics.Match(name), new DoubleTakeEvent
            {
                Id = id, Duration = duration, Timestamp = timestamp, Camera = request.CamId, Zones = zones, Match = result,
            }, _settings.RetainMatches);
            Publish(_topics.Person(name), new PersonState
            {
                Name = name, Camera = request.CamId, LastSeen = timestamp, Confidence = result.Confidence ?? 0,
                Similarity = result.Similarity ?? 0, Far = result.Far ?? 1, Gallery = result.Gallery!, EventId = id,
            }, _settings.RetainPeople);
            _logger.LogInformation("MQTT match: event {EventId} on {CamId} is {Name} ({Confidence:F1}%)", eventId, request.CamId, name, result.Confidence);
        }
        else Interlocked.Increment(ref sighting.Kind == SightingKind.Miss ? ref _misses : ref _unknowns);
        // An operator asking why Home Assistant did (not) react finds the answer on the event: a match,
        // or a miss with its confidence under the threshold. Unknowns say nothing worth a note.
        if (sighting.Kind != SightingKind.Unknown)
            _context.Annotate(eventId, new Dictionary<string, string>
            {
                ["outcome"] = sighting.Kind == SightingKind.Match ? "match" : "miss",
                ["name"] = sighting.Name!,
                ["confidence"] = result.Confidence!.Value.ToString("0.##", CultureInfo.InvariantCulture),
                ["topic"] = sighting.Kind == SightingKind.Match ? _topics.Match(sighting.Name!) : _topics.Camera(request.CamId),
            });

        var totals = _cameraTotals.GetOrAdd(request.CamId, _ => new long[3]);
        Interlocked.Increment(ref totals[(int)sighting.Kind]);
        Publish(_topics.Camera(request.CamId), new DoubleTakeCameraEvent
        {
            Id = id, Duration = duration, Timestamp = timestamp, Camera = request.CamId, Zones = zones,
            Matches = sighting.Kind == SightingKind.Match ? [result] : [],
            Misses = sighting.Kind == SightingKind.Miss ? [result] : [],
            Unknowns = sighting.Kind == SightingKind.Unknown ? [result] : [],
            PersonCount = sighting.Kind == SightingKind.Miss ? 0 : 1,
            Counts = new DoubleTakeCounts(sighting.Kind == SightingKind.Match ? 1 : 0, sighting.Kind == SightingKind.Miss ? 1 : 0, sighting.Kind == SightingKind.Unknown ? 1 : 0),
            Totals = new DoubleTakeCounts(Interlocked.Read(ref totals[0]), Interlocked.Read(ref totals[1]), Interlocked.Read(ref totals[2])),
        }, _settings.RetainCameras);
    }

    public async ValueTask ShutdownAsync(CancellationToken ct)
    {
        _stop.Cancel();
        try { await _announceSubjects.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
        await Publisher.DisposeAsync(ct).ConfigureAwait(false);
    }

    private void Publish<T>(string topic, T payload, bool retain) =>
        Publisher.TryEnqueue(new MqttOutgoing(topic, JsonSerializer.SerializeToUtf8Bytes(payload), retain));

    private static DoubleTakeMatch Result(Sighting sighting, BBox bbox)
    {
        var box = new DoubleTakeBox(bbox.Top, bbox.Left, bbox.Width, bbox.Height);
        if (sighting.Face is not { } face) return new DoubleTakeMatch { Name = "unknown", Match = false, Box = box };
        var similarity = face.Confidence ?? 0;
        return new DoubleTakeMatch
        {
            Name = sighting.Name!,
            // Percent on CompreFace's scale, as Double Take shows CompreFace's similarity: its default
            // 60% match confidence then sits at Router's identification threshold.
            Confidence = Math.Round(CompatSimilarity.FromCosine(similarity) * 100, 2),
            Match = sighting.Kind == SightingKind.Match,
            Box = box,
            Similarity = Math.Round(similarity, 4),
            Far = face.Far,
            Gallery = face.Id.Gallery,
            FaceId = face.Id.Face,
        };
    }

    // Double Take's zones come from Frigate; Router's cameras carry labels, and a "zone" or "zones"
    // label (comma-separated) is the nearest thing.
    private static IReadOnlyList<string> Zones(IReadOnlyDictionary<string, string> labels)
    {
        var zones = new List<string>();
        foreach (var key in new[] { "zone", "zones" })
            if (labels.TryGetValue(key, out var v))
                zones.AddRange(v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return zones;
    }

    private async Task AnnounceSubjectsAsync()
    {
        try
        {
            foreach (var name in await _watched.SubjectsAsync(_stop.Token).ConfigureAwait(false))
                if (_discovery!.Announce(name) is { } config) Publisher.TryEnqueue(config);
        }
        catch (OperationCanceledException) { }
        catch (Exception e) // a gallery store that is not ready yet costs the early sensors, nothing else
        {
            _logger.LogWarning("MQTT: could not list the watched galleries' subjects for Home Assistant discovery: {Reason}", e.Message);
        }
    }
}
