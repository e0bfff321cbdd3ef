using System.Text.Json;
using Router.Abstractions;
using Xunit;

namespace Router.Host.Tests.Contract;

/// <summary>The JSON shapes of the contract types that every API answer and event line is made of.</summary>
public class ContractJsonTests
{
    [Fact]
    public void A_detected_face_writes_bbox_as_its_four_edges()
    {
        var face = new DetectFace { Id = "d1", BBox = new BBox(1, 2, 30, 40), DetectionScore = 0.9f };
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(face, RouterJson.Options));
        var bbox = doc.RootElement.GetProperty("bbox");
        Assert.Equal(["left", "top", "right", "bottom"], bbox.EnumerateObject().Select(p => p.Name));
        Assert.Equal(30, bbox.GetProperty("right").GetInt32());
        Assert.False(doc.RootElement.TryGetProperty("b_box", out _));
    }

    [Fact]
    public void A_face_request_writes_bbox_and_round_trips()
    {
        var request = new FaceRequest { Photo = new byte[] { 1 }, BBox = new BBox(5, 6, 7, 8), CamId = "door" };
        var json = JsonSerializer.Serialize(request, RouterJson.Options);
        Assert.Contains("\"bbox\":{\"left\":5,\"top\":6,\"right\":7,\"bottom\":8}", json);
        Assert.Equal(new BBox(5, 6, 7, 8), JsonSerializer.Deserialize<FaceRequest>(json, RouterJson.Options)!.BBox);
    }
}
