using Router.Abstractions;
using Router.Tests.Common.Video;

namespace Router.Host.Tests.EndToEnd;

/// <summary>One face of a photo as another photo of that person: cropped with a margin by ffmpeg, rescaled, recompressed, optionally mirrored.</summary>
public static class FaceCrops
{
    public static async Task<byte[]> CropAsync(string photo, BBox box, int width, int height, string output, double scale = 0.6, bool mirror = false)
    {
        int margin = box.Width / 2;
        int x = Math.Max(0, box.Left - margin), y = Math.Max(0, box.Top - margin);
        int w = Math.Min(width, box.Right + margin) - x, h = Math.Min(height, box.Bottom + margin) - y;
        var filter = $"crop={w}:{h}:{x}:{y}:exact=1,scale=trunc(iw*{scale.ToString(System.Globalization.CultureInfo.InvariantCulture)}/2)*2:-2" + (mirror ? ",hflip" : "");
        await Ffmpeg.RunAsync(["-y", "-v", "error", "-i", photo, "-vf", filter, "-q:v", "12", "-frames:v", "1", output], TimeSpan.FromSeconds(30));
        return await File.ReadAllBytesAsync(output);
    }
}
