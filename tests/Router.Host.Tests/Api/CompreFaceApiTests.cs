using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Router.Abstractions;
using Router.Host.Tests.EndToEnd;
using Router.Tests.Common;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// The CompreFace-compatible API as its clients call it: Double Take's train, recognize and remove
/// requests (x-api-key, multipart field <c>file</c>, its query strings), the SDKs' subject and
/// example calls, the detection and verification services, and CompreFace's error codes.
/// </summary>
public sealed class CompreFaceApiTests : IAsyncLifetime
{
    private const string RecognitionKey = "00000000-0000-0000-0000-000000000001";
    private const string DetectionKey = "00000000-0000-0000-0000-000000000002";
    private const string VerificationKey = "00000000-0000-0000-0000-000000000003";
    private RouterTestHost _host = null!;
    private byte[] _ann = null!, _annAgain = null!, _stranger = null!;

    public async Task InitializeAsync()
    {
        _host = new RouterTestHost(RouterTestHost.NewRoot(), [], new Dictionary<string, string?>
        {
            ["CompreFace:Keys:0:Key"] = RecognitionKey, ["CompreFace:Keys:0:Service"] = "recognition", ["CompreFace:Keys:0:Gallery"] = "compreface",
            ["CompreFace:Keys:1:Key"] = DetectionKey, ["CompreFace:Keys:1:Service"] = "detection",
            ["CompreFace:Keys:2:Key"] = VerificationKey, ["CompreFace:Keys:2:Service"] = "verification",
        });
        await _host.StartAsync();
        // Two people of sample4, as photos of their own: Ann twice (cropped, and again mirrored at another size), a stranger once.
        var people = await SamplePeople.CropAsync(_host.Services.GetRequiredService<Router.Models.Faces.IFaceAnalyzer>(), _host.Root);
        (_ann, _annAgain, _stranger) = (people.Ann, people.AnnAgain, people.Stranger);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>What Double Take sends: multipart with the image in <c>file</c>, x-api-key.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> Send(HttpMethod method, string path, byte[]? image = null, string key = RecognitionKey,
        HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key.Length > 0) request.Headers.Add("x-api-key", key);
        if (image is not null)
        {
            var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "file", "image.jpg");
            request.Content = form;
        }
        else if (content is not null) request.Content = content;
        using var response = await _host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void Ok((HttpStatusCode Status, JsonElement Body) r) => Assert.True(r.Status == HttpStatusCode.OK, $"{(int)r.Status} {r.Body}");

    private static void Error((HttpStatusCode Status, JsonElement Body) r, HttpStatusCode status, int code)
    {
        Assert.True(r.Status == status, $"{(int)r.Status} {r.Body}");
        Assert.Equal(code, r.Body.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(r.Body.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Double_Take_trains_recognizes_and_removes_a_person()
    {
        // Train: POST /api/v1/recognition/faces?subject=NAME with file.
        var trained = await Send(HttpMethod.Post, "api/v1/recognition/faces?subject=Ann", _ann);
        Ok(trained);
        Assert.Equal("Ann", trained.Body.GetProperty("subject").GetString());
        var imageId = trained.Body.GetProperty("image_id").GetString()!;
        Assert.True(Guid.TryParse(imageId, out _), imageId);

        // Recognize, with Double Take's query string.
        var seen = await Send(HttpMethod.Post, "api/v1/recognition/recognize?face_plugins=gender,age&det_prob_threshold=0.8", _annAgain);
        Ok(seen);
        var face = Assert.Single(seen.Body.GetProperty("result").EnumerateArray().ToList());
        var best = face.GetProperty("subjects")[0];
        Assert.Equal("Ann", best.GetProperty("subject").GetString());
        Assert.True(best.GetProperty("similarity").GetDouble() >= 0.6, best.ToString()); // over Double Take's default 60%
        var box = face.GetProperty("box");
        Assert.True(box.GetProperty("x_max").GetInt32() > box.GetProperty("x_min").GetInt32() && box.GetProperty("y_max").GetInt32() > box.GetProperty("y_min").GetInt32());
        Assert.InRange(box.GetProperty("probability").GetDouble(), 0.8, 1);
        Assert.Contains(face.GetProperty("gender").GetProperty("value").GetString(), new[] { "male", "female" });
        Assert.True(face.GetProperty("age").GetProperty("high").GetInt32() > 0);
        Assert.False(face.TryGetProperty("embedding", out _)); // only with face_plugins=calculator

        // A stranger is below the 60% a Double Take user set.
        var other = await Send(HttpMethod.Post, "api/v1/recognition/recognize?face_plugins=gender,age&det_prob_threshold=0.8", _stranger);
        Ok(other);
        foreach (var s in other.Body.GetProperty("result")[0].GetProperty("subjects").EnumerateArray())
            Assert.True(s.GetProperty("similarity").GetDouble() < 0.6, s.ToString());

        // No face: code 28, which Double Take reads as "no face".
        var blank = Path.Combine(_host.Root, "blank.jpg");
        await Router.Tests.Common.Video.Ffmpeg.RunAsync(["-y", "-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=320x240", "-frames:v", "1", blank], TimeSpan.FromSeconds(30));
        Error(await Send(HttpMethod.Post, "api/v1/recognition/recognize?det_prob_threshold=0.8", await File.ReadAllBytesAsync(blank)), HttpStatusCode.BadRequest, 28);

        // Remove: DELETE /api/v1/recognition/faces?subject=NAME.
        var removed = await Send(HttpMethod.Delete, "api/v1/recognition/faces?subject=Ann");
        Ok(removed);
        Assert.Equal(1, removed.Body.GetProperty("deleted").GetInt32());
        var after = await Send(HttpMethod.Post, "api/v1/recognition/recognize", _annAgain);
        Assert.Empty(after.Body.GetProperty("result")[0].GetProperty("subjects").EnumerateArray());
    }

    [Fact]
    public async Task Subjects_and_examples_work_as_the_SDKs_call_them()
    {
        var created = await Send(HttpMethod.Post, "api/v1/recognition/subjects", content: JsonContent.Create(new { subject = "Bea" }));
        Assert.Equal((HttpStatusCode.Created, "Bea"), (created.Status, created.Body.GetProperty("subject").GetString()));
        Error(await Send(HttpMethod.Post, "api/v1/recognition/subjects", content: JsonContent.Create(new { subject = "Bea" })), HttpStatusCode.BadRequest, 43);
        // JSON base64 upload, as the SDKs can send it.
        var added = await Send(HttpMethod.Post, "api/v1/recognition/faces?subject=Ann", content: JsonContent.Create(new { file = Convert.ToBase64String(_ann) }));
        Ok(added);
        Ok(await Send(HttpMethod.Post, "api/v1/recognition/faces?subject=Ann", _annAgain));
        var subjects = await Send(HttpMethod.Get, "api/v1/recognition/subjects/");
        Assert.Equal(["Ann", "Bea"], subjects.Body.GetProperty("subjects").EnumerateArray().Select(s => s.GetString()));

        var page = await Send(HttpMethod.Get, "api/v1/recognition/faces?page=0&size=1&subject=Ann");
        Ok(page);
        Assert.Equal(2, page.Body.GetProperty("total_elements").GetInt32());
        Assert.Equal(2, page.Body.GetProperty("total_pages").GetInt32());
        Assert.Equal("Ann", page.Body.GetProperty("faces")[0].GetProperty("subject").GetString());

        // Renaming onto an existing subject merges them.
        var renamed = await Send(HttpMethod.Put, "api/v1/recognition/subjects/Ann", content: JsonContent.Create(new { subject = "Bea" }));
        Ok(renamed);
        Assert.True(renamed.Body.GetProperty("updated").GetBoolean());
        Error(await Send(HttpMethod.Put, "api/v1/recognition/subjects/Ann", content: JsonContent.Create(new { subject = "X" })), HttpStatusCode.NotFound, 42);

        // The example's stored picture (its thumbnail).
        using (var img = new HttpRequestMessage(HttpMethod.Get, $"api/v1/recognition/faces/{added.Body.GetProperty("image_id").GetString()}/img"))
        {
            img.Headers.Add("x-api-key", RecognitionKey);
            using var response = await _host.Http.SendAsync(img);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(Router.Models.Imaging.JpegCodec.IsJpeg(await response.Content.ReadAsByteArrayAsync()));
        }

        // Verify a photo against one stored example.
        var imageId = added.Body.GetProperty("image_id").GetString();
        var verified = await Send(HttpMethod.Post, $"api/v1/recognition/faces/{imageId}/verify", _annAgain);
        Ok(verified);
        Assert.True(verified.Body.GetProperty("result")[0].GetProperty("similarity").GetDouble() >= 0.6);
        Error(await Send(HttpMethod.Post, "api/v1/recognition/faces/00000000-0000-0000-0000-000000000999/verify", _annAgain), HttpStatusCode.NotFound, 11);

        // Recognition from an embedding computed elsewhere (face_plugins=calculator gives it).
        var detected = await Send(HttpMethod.Post, "api/v1/detection/detect?face_plugins=calculator", _annAgain, DetectionKey);
        Ok(detected);
        var embedding = detected.Body.GetProperty("result")[0].GetProperty("embedding");
        Assert.Equal(512, embedding.GetArrayLength());
        var byEmbedding = await Send(HttpMethod.Post, "api/v1/recognition/embeddings/recognize",
            content: new StringContent($"{{\"embeddings\":[{embedding.GetRawText()}]}}", System.Text.Encoding.UTF8, "application/json"));
        Ok(byEmbedding);
        Assert.Equal("Bea", byEmbedding.Body.GetProperty("result")[0].GetProperty("similarities")[0].GetProperty("subject").GetString());

        var deleted = await Send(HttpMethod.Post, "api/v1/recognition/faces/delete", content: JsonContent.Create(new[] { imageId, "00000000-0000-0000-0000-000000000999" }));
        Ok(deleted);
        Assert.Single(deleted.Body.EnumerateArray());
        Ok(await Send(HttpMethod.Delete, "api/v1/recognition/subjects/Bea"));
        Error(await Send(HttpMethod.Delete, "api/v1/recognition/subjects/Bea"), HttpStatusCode.NotFound, 42);
        Assert.Equal(0, (await Send(HttpMethod.Delete, "api/v1/recognition/subjects")).Body.GetProperty("deleted").GetInt32());
    }

    [Fact]
    public async Task Keys_open_their_own_service_only()
    {
        Error(await Send(HttpMethod.Get, "api/v1/recognition/subjects", key: ""), HttpStatusCode.Unauthorized, 20);
        Error(await Send(HttpMethod.Get, "api/v1/recognition/subjects", key: "wrong"), HttpStatusCode.Unauthorized, 0);
        Error(await Send(HttpMethod.Get, "api/v1/recognition/subjects", key: DetectionKey), HttpStatusCode.Forbidden, 0);
        Error(await Send(HttpMethod.Post, "api/v1/detection/detect", _ann, RecognitionKey), HttpStatusCode.Forbidden, 0);

        // The verification service: the source's face against each face of the target.
        var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(_ann), "source_image", "a.jpg" },
            { new ByteArrayContent(_annAgain), "target_image", "b.jpg" },
        };
        var verified = await Send(HttpMethod.Post, "api/v1/verification/verify", key: VerificationKey, content: form);
        Ok(verified);
        var r = verified.Body.GetProperty("result")[0];
        Assert.True(r.GetProperty("source_image_face").TryGetProperty("box", out _));
        Assert.True(r.GetProperty("face_matches")[0].GetProperty("similarity").GetDouble() >= 0.6);
    }
}
