using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Abstractions;
using Router.Host.Tests.EndToEnd;
using Router.Tests.Common;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// The DeepStack / CodeProject.AI face API as Home Assistant's deepstack_face and Double Take call
/// it: multipart forms with <c>image</c>, <c>userid</c>, <c>min_confidence</c> and the <c>api_key</c>
/// field, answers with <c>success</c> and <c>predictions</c>, strangers as "unknown".
/// </summary>
public sealed class DeepStackApiTests : IAsyncLifetime
{
    private const string Key = "deepstack-test-key";
    private RouterTestHost _host = null!;
    private byte[] _ann = null!, _annAgain = null!, _stranger = null!;

    public async Task InitializeAsync()
    {
        _host = new RouterTestHost(RouterTestHost.NewRoot(), [], new Dictionary<string, string?> { ["DeepStack:ApiKeys:0"] = Key });
        await _host.StartAsync();
        var people = await SamplePeople.CropAsync(_host.Services.GetRequiredService<Router.Models.Faces.IFaceAnalyzer>(), _host.Root);
        (_ann, _annAgain, _stranger) = (people.Ann, people.AnnAgain, people.Stranger);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Post(string path, (string Name, byte[] Image)[] images, Dictionary<string, string>? fields = null,
        bool withKey = true)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, image) in images) form.Add(new ByteArrayContent(image), name, name + ".jpg");
        foreach (var (k, v) in fields ?? []) form.Add(new StringContent(v), k);
        if (withKey) form.Add(new StringContent(Key), "api_key");
        using var response = await _host.Http.PostAsync(path, form);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static void Success((HttpStatusCode Status, JsonElement Body) r)
    {
        Assert.True(r.Status == HttpStatusCode.OK && r.Body.GetProperty("success").GetBoolean(), $"{(int)r.Status} {r.Body}");
    }

    [Fact]
    public async Task A_person_is_registered_recognized_listed_matched_and_deleted()
    {
        var registered = await Post("v1/vision/face/register", [("image", _ann)], new() { ["userid"] = "Ann" });
        Success(registered);
        Assert.Equal("face added", registered.Body.GetProperty("message").GetString());
        var listed = await Post("v1/vision/face/list", []);
        Success(listed);
        Assert.Equal(["Ann"], listed.Body.GetProperty("faces").EnumerateArray().Select(f => f.GetString()));

        var seen = await Post("v1/vision/face/recognize", [("image", _annAgain)], new() { ["min_confidence"] = "0.67" });
        Success(seen);
        var p = Assert.Single(seen.Body.GetProperty("predictions").EnumerateArray().ToList());
        Assert.Equal("Ann", p.GetProperty("userid").GetString());
        Assert.InRange(p.GetProperty("confidence").GetDouble(), 0.67, 1);
        Assert.True(p.GetProperty("x_max").GetInt32() > p.GetProperty("x_min").GetInt32());

        var stranger = await Post("v1/vision/face/recognize", [("image", _stranger)]);
        Success(stranger);
        Assert.Equal("unknown", stranger.Body.GetProperty("predictions")[0].GetProperty("userid").GetString());

        var detected = await Post("v1/vision/face", [("image", _stranger)]);
        Success(detected);
        Assert.Equal(1, detected.Body.GetProperty("count").GetInt32());
        Assert.InRange(detected.Body.GetProperty("predictions")[0].GetProperty("confidence").GetDouble(), 0.5, 1);

        var same = await Post("v1/vision/face/match", [("image1", _ann), ("image2", _annAgain)]);
        var other = await Post("v1/vision/face/match", [("image1", _ann), ("image2", _stranger)]);
        Success(same);
        Success(other);
        Assert.True(same.Body.GetProperty("similarity").GetDouble() > 0.67 && other.Body.GetProperty("similarity").GetDouble() < 0.5,
            $"{same.Body} {other.Body}");

        Success(await Post("v1/vision/face/delete", [], new() { ["userid"] = "Ann" }));
        Assert.Empty((await Post("v1/vision/face/list", [])).Body.GetProperty("faces").EnumerateArray());
        Assert.Equal("unknown", (await Post("v1/vision/face/recognize", [("image", _annAgain)])).Body.GetProperty("predictions")[0].GetProperty("userid").GetString());
    }

    [Fact]
    public async Task Failures_answer_success_false_with_the_error()
    {
        foreach (var key in new[] { "wrong", "" })
        {
            var denied = await Post("v1/vision/face/list", [], key.Length > 0 ? new() { ["api_key"] = key } : new() { ["userid"] = "x" }, withKey: false);
            Assert.Equal(HttpStatusCode.Unauthorized, denied.Status);
            Assert.False(denied.Body.GetProperty("success").GetBoolean());
        }

        var blank = Path.Combine(_host.Root, "blank.jpg");
        await Router.Tests.Common.Video.Ffmpeg.RunAsync(["-y", "-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=320x240", "-frames:v", "1", blank], TimeSpan.FromSeconds(30));
        var noFace = await Post("v1/vision/face/register", [("image", await File.ReadAllBytesAsync(blank))], new() { ["userid"] = "Nobody" });
        Assert.Equal(HttpStatusCode.BadRequest, noFace.Status);
        Assert.Equal("No face found in image", noFace.Body.GetProperty("error").GetString());
        var noUser = await Post("v1/vision/face/register", [("image", _ann)]);
        Assert.False(noUser.Body.GetProperty("success").GetBoolean());
        Assert.Contains("userid", noUser.Body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Without_deepstack_keys_the_admin_keys_apply_and_a_refusal_comes_in_deepstack_shape()
    {
        await using var host = new RouterTestHost(RouterTestHost.NewRoot(), [], new Dictionary<string, string?> { ["Api:ApiKeys:0"] = "admin-key" });
        await host.StartAsync();
        async Task<(HttpStatusCode Status, JsonElement Body)> List(string? formKey, string? bearer)
        {
            var form = new MultipartFormDataContent { { new StringContent("x"), "userid" } }; // an empty form is a bad request
            if (formKey is not null) form.Add(new StringContent(formKey), "api_key");
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/vision/face/list") { Content = form };
            if (bearer is not null) request.Headers.Authorization = new("Bearer", bearer);
            using var response = await host.Http.SendAsync(request);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        foreach (var (formKey, bearer) in new[] { ((string?)null, (string?)null), ("wrong", null), (null, "wrong") })
        {
            var denied = await List(formKey, bearer);
            Assert.Equal(HttpStatusCode.Unauthorized, denied.Status);
            Assert.False(denied.Body.GetProperty("success").GetBoolean(), denied.Body.ToString());
            Assert.Equal("Incorrect api key", denied.Body.GetProperty("error").GetString());
        }
        Success(await List("admin-key", null));
        Success(await List(null, "admin-key"));
    }
}
