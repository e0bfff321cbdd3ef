using System.Text.Json;
using Router.Abstractions;
using Router.Host.Events;
using Xunit;

namespace Router.Host.Tests.Events;

/// <summary>The wire form of a routed event: features as arrays of snake_case names, for the event and each plugin.</summary>
public sealed class RoutedEventJsonTests
{
    [Fact]
    public void Features_are_arrays_of_snake_case_names_on_the_event_and_on_each_plugin_outcome()
    {
        var e = new RoutedEvent
        {
            Id = "7", EventId = 7, CamId = "door", BBox = new BBox(1, 2, 3, 4),
            Features = FaceFeatures.Detection | FaceFeatures.Facen,
            Plugins =
            [
                new PluginOutcome("watchlist", "processed", FaceFeatures.Facen | FaceFeatures.Gender, 1.5, null),
                new PluginOutcome("idle", "not_interested", FaceFeatures.None, 0.1, null),
            ],
        };
        var json = JsonDocument.Parse(JsonSerializer.Serialize(e, RouterJson.Options)).RootElement;
        Assert.Equal(["facen", "detection"], Names(json.GetProperty("features")));
        var plugins = json.GetProperty("plugins").EnumerateArray().ToList();
        Assert.Equal(["facen", "gender"], Names(plugins[0].GetProperty("features")));
        Assert.Empty(Names(plugins[1].GetProperty("features")));
    }

    [Fact]
    public void Every_feature_has_its_snake_case_name_and_reads_back()
    {
        var all = Enum.GetValues<FaceFeatures>().Aggregate(FaceFeatures.None, (a, f) => a | f);
        var options = new JsonSerializerOptions { Converters = { new FaceFeaturesJsonConverter() } };
        var json = JsonSerializer.Serialize(all, options);
        Assert.Equal("""["facen","gender","age","emotions","liveness","quality","pose","eyes","detection"]""", json);
        Assert.Equal(all, JsonSerializer.Deserialize<FaceFeatures>(json, options));
        Assert.Equal(FaceFeatures.None, JsonSerializer.Deserialize<FaceFeatures>("[]", options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<FaceFeatures>("""["telepathy"]""", options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<FaceFeatures>("\"facen\"", options));
    }

    private static List<string> Names(JsonElement array)
    {
        Assert.Equal(JsonValueKind.Array, array.ValueKind);
        return array.EnumerateArray().Select(n => n.GetString()!).ToList();
    }
}
