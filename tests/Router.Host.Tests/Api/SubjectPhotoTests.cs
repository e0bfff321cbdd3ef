using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Numerics.Tensors;
using System.Text.Json;
using Router.Abstractions;
using Router.Host.Tests.EndToEnd;
using Router.Tests.Common;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// Subjects on real photos, through the HTTP API of `router run`: enrolling a person from several
/// photos (each accepted or refused on its own), and "this is not X" stopping a look-alike's false
/// match after one correction while X's own photos still match.
/// </summary>
public sealed class SubjectPhotoTests : IAsyncLifetime
{
    private RouterTestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = new RouterTestHost(RouterTestHost.NewRoot(), []);
        await _host.StartAsync();
        (await _host.Http.PostAsync("v1/galleries/people", null)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private sealed record Found(string Photo, BBox Box, float[] Facen, string Id, int Width, int Height);

    /// <summary>Every face of the sample photos with its embedding and detection id.</summary>
    private async Task<List<Found>> DetectAllAsync()
    {
        var all = new List<Found>();
        foreach (var name in SamplePhotos.Names)
        {
            var body = await PostJson($"v1/detect?facen=true&return_facen=true", new ByteArrayContent(SamplePhotos.Read(name)));
            foreach (var f in body.GetProperty("faces").EnumerateArray())
                all.Add(new Found(name, f.GetProperty("bbox").Deserialize<BBox>(RouterJson.Options)!,
                    f.GetProperty("facen").Deserialize<float[]>()!, f.GetProperty("id").GetString()!,
                    body.GetProperty("width").GetInt32(), body.GetProperty("height").GetInt32()));
        }
        return all;
    }

    private async Task<JsonElement> PostJson(string path, HttpContent content, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await _host.Http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Another photo of the person of <paramref name="face"/>: the face cropped, shrunk, recompressed and mirrored.</summary>
    private async Task<string> AnotherPhotoAsync(Found face, string file)
    {
        var crop = await FaceCrops.CropAsync(SamplePhotos.PathOf(face.Photo), face.Box, face.Width, face.Height, Path.Combine(_host.Root, file), 0.8, mirror: true);
        var body = await PostJson("v1/detect?facen=true", new ByteArrayContent(crop));
        return body.GetProperty("faces").EnumerateArray().Single().GetProperty("id").GetString()!;
    }

    private async Task<List<string>> SubjectsMatching(string detection, double threshold)
    {
        var body = await _host.GetJsonAsync($"v1/galleries/people/subjects?looks_like=detection:{detection}&threshold={threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        return body.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("subject").GetString()!).ToList();
    }

    [Fact]
    public async Task A_person_is_enrolled_from_several_photos_each_accepted_or_refused_on_its_own()
    {
        var faces = await DetectAllAsync();
        var ann = faces.OrderByDescending(f => f.Box.Width).First();
        var big = await FaceCrops.CropAsync(SamplePhotos.PathOf(ann.Photo), ann.Box, ann.Width, ann.Height, Path.Combine(_host.Root, "big.jpg"), 1.0);
        var tiny = await FaceCrops.CropAsync(SamplePhotos.PathOf(ann.Photo), ann.Box, ann.Width, ann.Height, Path.Combine(_host.Root, "tiny.jpg"), 40.0 / ann.Box.Width);
        var blank = Path.Combine(_host.Root, "blank.jpg");
        await Ffmpeg.RunAsync(["-y", "-v", "error", "-f", "lavfi", "-i", "color=c=gray:s=320x240", "-frames:v", "1", blank], TimeSpan.FromSeconds(30));

        using var form = new MultipartFormDataContent();
        foreach (var (name, bytes) in new[] { ("big.jpg", big), ("blank.jpg", await File.ReadAllBytesAsync(blank)), ("tiny.jpg", tiny) })
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(part, "photos", name);
        }
        var body = await PostJson("v1/galleries/people/subjects/Ann%20Lee/photos", form);
        Assert.Equal("Ann Lee", body.GetProperty("subject").GetString());
        Assert.Equal(1, body.GetProperty("faces").GetInt32());
        var photos = body.GetProperty("photos").EnumerateArray().ToList();
        Assert.Equal(["big.jpg", "blank.jpg", "tiny.jpg"], photos.Select(p => p.GetProperty("photo").GetString()));
        Assert.Equal("accepted", photos[0].GetProperty("status").GetString());
        Assert.Equal("Ann Lee", photos[0].GetProperty("face").GetProperty("subject").GetString());
        Assert.Equal(ErrorCodes.NoFace, photos[1].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(ErrorCodes.EnrollmentRefused, photos[2].GetProperty("error").GetProperty("code").GetString());

        var subjects = await _host.GetJsonAsync("v1/galleries/people/subjects");
        var only = Assert.Single(subjects.GetProperty("subjects").EnumerateArray().ToList());
        Assert.Equal(("Ann Lee", 1), (only.GetProperty("name").GetString(), only.GetProperty("faces").GetInt32()));

        // The enrolled face keeps a small picture of itself, gone with the face.
        var faceId = photos[0].GetProperty("face").GetProperty("id").GetProperty("face").GetInt64();
        using (var thumb = await _host.Http.GetAsync($"v1/galleries/people/faces/{faceId}/thumbnail"))
        {
            Assert.Equal(HttpStatusCode.OK, thumb.StatusCode);
            Assert.Equal("image/jpeg", thumb.Content.Headers.ContentType!.MediaType);
            var jpeg = await thumb.Content.ReadAsByteArrayAsync();
            Assert.InRange(jpeg.Length, 500, 12_000);
            var (w, h) = Router.Models.Imaging.JpegCodec.ReadSize(jpeg);
            Assert.True(Math.Max(w, h) <= 128 && Math.Max(w, h) > 64, $"{w}x{h}");
        }

        // Her other photo finds her as one person.
        var again = await AnotherPhotoAsync(ann, "again.jpg");
        Assert.Equal(["Ann Lee"], await SubjectsMatching(again, MatchThresholds.Identification));
        (await _host.Http.DeleteAsync($"v1/galleries/people/faces/{faceId}")).EnsureSuccessStatusCode();
        using (var gone = await _host.Http.GetAsync($"v1/galleries/people/faces/{faceId}/thumbnail"))
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task One_correction_stops_a_look_alikes_false_match_and_keeps_the_persons_own_photos()
    {
        var faces = (await DetectAllAsync()).Where(f => f.Box.Width >= 60).ToList();
        Assert.True(faces.Count >= 4, "too few sample faces large enough to enroll");
        // The two different people of the samples who look most alike.
        var (x, stranger) = faces.SelectMany((a, i) => faces.Skip(i + 1).Select(b => (a, b)))
            .MaxBy(p => TensorPrimitives.Dot(p.a.Facen, p.b.Facen));
        using (var add = await _host.Http.PostAsJsonAsync("v1/galleries/people/faces", new { from = "detection:" + x.Id, subject = "X", force = true }))
            Assert.Equal(HttpStatusCode.Created, add.StatusCode);

        var strangerAgain = await AnotherPhotoAsync(stranger, "stranger-again.jpg");
        var xAgain = await AnotherPhotoAsync(x, "x-again.jpg");
        // An operator's threshold loose enough that the look-alike is reported as X.
        var strangerAgainFacen = (await _host.GetJsonAsync($"v1/detect/{strangerAgain}")).GetProperty("facen").Deserialize<float[]>()!;
        double threshold = Math.Min(TensorPrimitives.Dot(stranger.Facen, x.Facen), TensorPrimitives.Dot(strangerAgainFacen, x.Facen)) - 0.01;
        Assert.Equal(["X"], await SubjectsMatching(strangerAgain, threshold));
        Assert.Equal(["X"], await SubjectsMatching(xAgain, threshold));

        // "This is not X", given once, on the first sighting.
        var negative = await PostJson("v1/galleries/people/subjects/X/negatives",
            JsonContent.Create(new { from = "detection:" + stranger.Id }), HttpStatusCode.Created);
        Assert.Equal("X", negative.GetProperty("subject").GetString());

        Assert.Empty(await SubjectsMatching(strangerAgain, threshold));
        Assert.Equal(["X"], await SubjectsMatching(xAgain, threshold));
        Assert.Equal(["X"], await SubjectsMatching(xAgain, MatchThresholds.Identification));
    }
}
