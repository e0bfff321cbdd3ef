using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Router.Host.Composition;
using Router.Host.Tests.EndToEnd;
using Xunit;

namespace Router.Host.Tests.Composition;

/// <summary>Issue 12, item 7: unknown keys in Router's sections were silently ignored; now each is a warning naming the closest valid key.</summary>
public sealed class ConfigurationKeyCheckTests
{
    private static IReadOnlyList<string> Problems(params (string Key, string Value)[] settings) =>
        ConfigurationKeyCheck.Problems(new ConfigurationBuilder()
            .AddInMemoryCollection(RouterConfiguration.Defaults())
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void The_embedded_defaults_have_no_unknown_key() => Assert.Empty(Problems());

    [Theory]
    [InlineData("Api:Urls", "'Api:Urls' is not known (ignored); did you mean 'urls'?")]
    [InlineData("Galleries:Stor", "did you mean 'Galleries:Store'?")]
    [InlineData("Galleries:MetaMaxKey", "did you mean 'Galleries:MetaMaxKeys'?")]
    [InlineData("Plugins:ProcesTimeout", "did you mean 'Plugins:ProcessTimeout'?")]
    [InlineData("Plugins:Items:watchlist:Asembly", "did you mean 'Plugins:Items:watchlist:Assembly'?")]
    [InlineData("Cameras:door:Settings:detect_fsp", "did you mean 'Cameras:door:Settings:detect_fps'?")]
    [InlineData("Decoding:MaxConcurentDecodes", "did you mean 'Decoding:MaxConcurrentDecodes'?")]
    [InlineData("Gallery:Store", "section 'Gallery' is not known (ignored); did you mean 'Galleries'?")]
    public void An_unknown_key_is_named_with_the_closest_valid_one(string key, string expected)
    {
        var problem = Assert.Single(Problems((key, "1")));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void Free_form_and_foreign_sections_are_left_alone()
    {
        Assert.Empty(Problems(
            ("Plugins:Items:watchlist:Settings:anything_at_all", "x"), // the plugin's own settings
            ("Cameras:door:Url", "rtsp://127.0.0.1/a"), ("Cameras:door:Settings:ffmpeg_params:0", "-re"),
            ("Kestrel:Endpoints:e1:Url", "http://127.0.0.1:1"), ("Logging:LogLevel:Router", "Debug"),
            ("SomethingElse:Key", "v")));
    }

    [Fact]
    public async Task The_host_warns_at_start_and_starts()
    {
        await using var host = new RouterTestHost(RouterTestHost.NewRoot(), [], new Dictionary<string, string?> { ["Api:Urls"] = "http://0.0.0.0:1" });
        await host.StartAsync();
        var warnings = host.Log.AtLeast(LogLevel.Warning).Where(e => e.Message.Contains("configuration")).ToList();
        Assert.Contains(warnings, w => w.Message.Contains("'Api:Urls'") && w.Message.Contains("'urls'"));
        Assert.Single(warnings);
        using var ok = await host.Http.GetAsync("v1/galleries");
        Assert.True(ok.IsSuccessStatusCode);
    }
}
