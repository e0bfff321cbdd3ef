using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Router.Abstractions;
using Router.Host.Tests.EndToEnd;
using Router.Tests.Common;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>
/// Uploads that just work on <c>/v1/detect</c> (issue 9): the same photo raw with any content
/// type, as <c>curl -F photo=@x.jpg</c> sends it, and as JSON base64, each finds sample1's three
/// faces; a body in none of these shapes gets a coded error naming what was expected.
/// </summary>
public sealed class ImageUploadTests : IAsyncLifetime
{
    private RouterTestHost _host = null!;
    private readonly byte[] _photo = SamplePhotos.Read("sample1.jpg");

    public async Task InitializeAsync()
    {
        _host = new RouterTestHost(RouterTestHost.NewRoot(), []);
        await _host.StartAsync();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> Detect(HttpContent content)
    {
        using var response = await _host.Http.PostAsync("v1/detect", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void AssertFaces((HttpStatusCode Status, JsonElement Body) r)
    {
        Assert.True(r.Status == HttpStatusCode.OK, $"{(int)r.Status} {r.Body}");
        Assert.Equal(SamplePhotos.FaceCounts["sample1.jpg"], r.Body.GetProperty("faces").GetArrayLength());
    }

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("application/x-www-form-urlencoded")] // what curl --data-binary labels a body by default
    [InlineData("image/png")]                          // a wrong label: the bytes decide
    public async Task A_raw_body_of_any_content_type_is_read_by_its_bytes(string type)
    {
        var content = new ByteArrayContent(_photo);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        AssertFaces(await Detect(content));
    }

    [Theory]
    [InlineData("photo")]
    [InlineData("file")]
    [InlineData("image")]
    public async Task A_multipart_form_upload_is_read_from_its_field(string field)
    {
        using var form = new MultipartFormDataContent { { new StringContent("door"), "camera" } };
        var file = new ByteArrayContent(_photo);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, field, "x.jpg");
        AssertFaces(await Detect(form));
    }

    [Theory]
    [InlineData("file", false)]
    [InlineData("photo", true)]
    public async Task A_json_base64_upload_is_read(string field, bool dataUrl)
    {
        var b64 = (dataUrl ? "data:image/jpeg;base64," : "") + Convert.ToBase64String(_photo);
        AssertFaces(await Detect(new StringContent($$"""{"{{field}}":"{{b64}}"}""", Encoding.UTF8, "application/json")));
    }

    [Fact]
    public async Task Bodies_in_no_known_shape_get_coded_errors()
    {
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(_photo), "picture", "x.jpg" } })
        {
            var r = await Detect(form);
            Assert.Equal(HttpStatusCode.BadRequest, r.Status);
            Assert.Equal(ErrorCodes.BadParam, r.Body.GetProperty("code").GetString());
            Assert.Contains("picture", r.Body.GetProperty("reason").GetString());
        }
        var noField = await Detect(new StringContent("""{"img":"abc"}""", Encoding.UTF8, "application/json"));
        Assert.Equal((HttpStatusCode.BadRequest, ErrorCodes.BadParam), (noField.Status, noField.Body.GetProperty("code").GetString()));
        var badBase64 = await Detect(new StringContent("""{"file":"***"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(("file", ErrorCodes.BadParam), (badBase64.Body.GetProperty("param").GetString(), badBase64.Body.GetProperty("code").GetString()));
        // Any content type is read, so bytes that are no image are refused for what they are, not for their label.
        var text = await Detect(new StringContent("hello"));
        Assert.Equal((HttpStatusCode.BadRequest, ErrorCodes.MalformedRequest), (text.Status, text.Body.GetProperty("code").GetString()));
        var noBoundary = new ByteArrayContent(_photo);
        noBoundary.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data");
        Assert.Equal(ErrorCodes.MalformedRequest, (await Detect(noBoundary)).Body.GetProperty("code").GetString());
    }
}
