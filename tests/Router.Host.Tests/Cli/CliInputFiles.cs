using Router.Models.Imaging;
using Router.Tests.Common;

namespace Router.Host.Tests.Cli;

/// <summary>
/// The files the CLI tests feed to `router`: a real photo, the same photo rescaled and
/// recompressed, a picture without a face, and the bad inputs (empty, truncated JPEG, random
/// bytes), written once per test class into a temporary folder.
/// </summary>
public sealed class CliInputFiles : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("router-cli-").FullName;

    public CliInputFiles()
    {
        var jpeg = SamplePhotos.Read("sample1.jpg");
        using (var decoded = ImageDecoder.Decode(jpeg))
        using (var small = ImageOps.Resize(decoded.Image, decoded.Image.Width * 6 / 10, decoded.Image.Height * 6 / 10))
            File.WriteAllBytes(Rescaled, JpegCodec.Encode(small, 75));
        // A smooth gradient: an image that decodes fine but holds no face.
        using (var plain = BgrImage.Rent(640, 480))
        {
            for (var y = 0; y < plain.Height; y++)
            {
                var row = plain.Row(y);
                for (var x = 0; x < plain.Width; x++) { row[x * 3] = (byte)(x / 3); row[x * 3 + 1] = (byte)(y / 2); row[x * 3 + 2] = 128; }
            }
            File.WriteAllBytes(NoFace, JpegCodec.Encode(plain, 90));
        }
        File.WriteAllBytes(Empty, []);
        File.WriteAllBytes(Truncated, jpeg.AsSpan(0, jpeg.Length / 2).ToArray());
        var random = new byte[4096];
        new Random(7).NextBytes(random);
        File.WriteAllBytes(RandomBytes, random);
    }

    public string Sample1 => SamplePhotos.PathOf("sample1.jpg");
    public string Sample2 => SamplePhotos.PathOf("sample2.jpg");
    public string Rescaled => Path.Combine(_dir, "sample1-rescaled.jpg");
    public string NoFace => Path.Combine(_dir, "gradient.jpg");
    public string Empty => Path.Combine(_dir, "empty.jpg");
    public string Truncated => Path.Combine(_dir, "truncated.jpg");
    public string RandomBytes => Path.Combine(_dir, "random.jpg");
    public string Missing => Path.Combine(_dir, "does-not-exist.jpg");

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}
