using Microsoft.Playwright;
using Router.Host.Tests.EndToEnd;
using Router.Tests.Common;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Router.Host.Tests.Console;

/// <summary>
/// The operator console in a real Chromium against `router run`: the demo camera streaming with
/// events arriving, enrolling and finding a person by photo, a bad camera's error, and sign-in.
/// </summary>
public sealed class ConsoleTests
{
    private static async Task<RouterTestHost> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var host = new RouterTestHost(RouterTestHost.NewRoot(), ["watchlist"], settings);
        await host.StartAsync();
        return host;
    }

    [Fact]
    public async Task The_live_page_shows_the_demo_camera_streaming_and_events_arrive()
    {
        await using var host = await StartAsync(new() { ["Demo:Enabled"] = "true" });
        await using var browser = await ConsoleBrowser.OpenAsync(host.Http.BaseAddress!);
        var page = browser.Page;
        await page.GotoAsync("/");
        var demo = page.Locator("[data-camera=demo]");
        await Expect(demo.Locator("[data-state=streaming]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        // A best shot of the demo camera appears on its tile...
        await Expect(demo.Locator(".shots img").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await browser.ScreenshotAsync("live");
        // ...and the events page receives the stream.
        await page.GotoAsync("/#/events");
        await Expect(page.Locator("#events li[data-camera=demo]").First).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await browser.ScreenshotAsync("events");
    }

    [Fact]
    public async Task A_person_enrolled_by_upload_is_found_by_another_photo_and_deleted()
    {
        await using var host = await StartAsync();
        (await host.Http.PostAsync("v1/galleries/people", null)).EnsureSuccessStatusCode();
        var analyzer = (Router.Models.Faces.IFaceAnalyzer)host.Services.GetService(typeof(Router.Models.Faces.IFaceAnalyzer))!;
        var analysis = analyzer.AnalyzeImage(SamplePhotos.Read("sample4.jpg"), Router.Abstractions.FaceFeatures.None);
        var face = analysis.Faces.OrderByDescending(f => f.Detection.Box.Width).First().Detection.Box;
        var photo = Path.Combine(host.Root, "ann.jpg");
        var other = Path.Combine(host.Root, "ann-again.jpg");
        await FaceCrops.CropAsync(SamplePhotos.PathOf("sample4.jpg"), face, analysis.Width, analysis.Height, photo, 1.0);
        await FaceCrops.CropAsync(SamplePhotos.PathOf("sample4.jpg"), face, analysis.Width, analysis.Height, other, 0.8, mirror: true);

        await using var browser = await ConsoleBrowser.OpenAsync(host.Http.BaseAddress!);
        var page = browser.Page;
        await page.GotoAsync("/#/galleries");
        await page.ClickAsync("a[href='#/gallery/people']");
        await page.FillAsync("#enroll-subject", "Ann Lee");
        await page.Locator("section:has(#enroll-subject) input[type=file]").SetInputFilesAsync(photo);
        await Expect(page.Locator("#enroll-results [data-status=accepted]")).ToBeVisibleAsync();
        await Expect(page.Locator("tr[data-subject='Ann Lee']")).ToBeVisibleAsync();
        // Her face is listed with the thumbnail the gallery kept.
        await Expect(page.Locator("tr[data-face] img.thumb[src^='blob:']")).ToBeVisibleAsync();

        await page.Locator("section:has(#search-threshold) input[type=file]").SetInputFilesAsync(other);
        await Expect(page.Locator("#search-results [data-match='Ann Lee']")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("gallery");

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.Locator("tr[data-subject='Ann Lee'] button.danger").ClickAsync();
        await Expect(page.Locator("tr[data-subject='Ann Lee']")).ToHaveCountAsync(0);
        await page.Locator("section:has(#search-threshold) input[type=file]").SetInputFilesAsync(other);
        await Expect(page.Locator("#search-results")).ToContainTextAsync("Nobody");
    }

    [Fact]
    public async Task A_camera_with_a_bad_url_shows_its_error()
    {
        await using var host = await StartAsync();
        await using var browser = await ConsoleBrowser.OpenAsync(host.Http.BaseAddress!);
        var page = browser.Page;
        await page.GotoAsync("/#/cameras");
        // Refused at once by the API: the error is shown at its field.
        await page.FillAsync("#camera-id", "bad");
        await page.FillAsync("#camera-url", "/etc/passwd");
        await page.ClickAsync("#camera-form button[type=submit]");
        await Expect(page.Locator("#camera-form .field-error").First).ToContainTextAsync("BAD_PARAM");
        // Accepted but unreachable: the camera's own error shows in the table.
        await page.FillAsync("#camera-url", "rtsp://127.0.0.1:9/nothing");
        await page.ClickAsync("#camera-form button[type=submit]");
        await Expect(page.Locator("tr[data-camera=bad] [data-error]")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await browser.ScreenshotAsync("cameras");
    }

    [Fact]
    public async Task Signing_in_with_the_key_works_and_a_wrong_key_is_refused()
    {
        await using var host = await StartAsync(new() { ["Api:ApiKeys:0"] = "console-test-key" });
        await using var browser = await ConsoleBrowser.OpenAsync(host.Http.BaseAddress!);
        var page = browser.Page;
        await page.GotoAsync("/#/galleries");
        await page.FillAsync("#api-key", "wrong");
        await page.ClickAsync("form button[type=submit]");
        await Expect(page.Locator("[role=alert]")).ToContainTextAsync("refused");
        await page.FillAsync("#api-key", "console-test-key");
        await page.ClickAsync("form button[type=submit]");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Galleries");
        // The key is not in the URL, and it survives a reload of the page within the session.
        Assert.DoesNotContain("console-test-key", page.Url);
        await page.ReloadAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Galleries");
    }
}
