using System.Drawing;
using System.Text.Json;
using Router.Host.Tests.Cli;
using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Tests.Common;
using Xunit;

namespace Router.Host.Tests.Evaluation;

/// <summary>
/// A labelled set the test makes from the sample photos: each of the 22 faces is a person with
/// two photos (a crop around it, 1.8 times its box, where it is the largest face; and that crop
/// at 0.6× recompressed at JPEG quality 70), plus a
/// person whose one photo has no face, and a pairs list with good, bad and missing lines.
/// </summary>
public sealed class LabelledSampleSet : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("router-eval-").FullName;
    public string Pairs => Path.Combine(Root, "pairs.csv");
    public string Cache => Path.Combine(Root, "cache");
    public int People { get; }

    public LabelledSampleSet()
    {
        using var analyzer = new FaceAnalyzer();
        var person = 0;
        foreach (var name in SamplePhotos.Names)
        {
            using var decoded = ImageDecoder.Decode(SamplePhotos.Read(name));
            var image = decoded.Image;
            foreach (var face in analyzer.Detect(image))
            {
                var b = face.Box;
                var side = Math.Max(b.Width, b.Height) * 18 / 10;
                var x = Math.Clamp((b.Left + b.Right) / 2 - side / 2, 0, image.Width - 1);
                var y = Math.Clamp((b.Top + b.Bottom) / 2 - side / 2, 0, image.Height - 1);
                var region = new Rectangle(x, y, Math.Min(side, image.Width - x), Math.Min(side, image.Height - y));
                var dir = Directory.CreateDirectory(Path.Combine(Root, "photos", $"person_{person:D2}")).FullName;
                using var crop = ImageOps.Crop(image, region);
                File.WriteAllBytes(Path.Combine(dir, "1.jpg"), JpegCodec.Encode(crop, 95));
                using var small = ImageOps.Resize(crop, crop.Width * 6 / 10, crop.Height * 6 / 10);
                File.WriteAllBytes(Path.Combine(dir, "2.jpg"), JpegCodec.Encode(small, 70));
                person++;
            }
        }
        People = person;
        var nobody = Directory.CreateDirectory(Path.Combine(Root, "photos", "nobody")).FullName;
        using (var plain = BgrImage.Rent(200, 200))
        {
            plain.Pixels.Fill(128);
            File.WriteAllBytes(Path.Combine(nobody, "1.jpg"), JpegCodec.Encode(plain, 90));
        }
        File.WriteAllLines(Pairs,
        [
            "file_x,file_y,same",
            "person_00/1.jpg,person_00/2.jpg,1",
            "person_01/1.jpg,person_01/2.jpg,1",
            "person_00/1.jpg,person_01/1.jpg,0",
            "person_02/1.jpg,person_03/2.jpg,0",
            "person_00/1.jpg,person_02/1.jpg,perhaps",   // line 6: bad 'same'
            "person_00/1.jpg,missing/1.jpg,1",           // line 7: a photo that does not exist
            "nobody/1.jpg,person_00/1.jpg,0",            // line 8: no face on one side
        ]);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>`router eval` through the built executable, on a set the test makes.</summary>
public sealed class EvalCommandTests(LabelledSampleSet set) : IClassFixture<LabelledSampleSet>
{
    private RouterCli.Result Eval(params string[] extra) =>
        RouterCli.Run(["eval", Path.Combine(set.Root, "photos"), "--pairs", set.Pairs, "--cache", set.Cache, "--face", "largest", "--json", .. extra]);

    [Fact]
    public void Measures_the_set_reports_what_it_could_not_use_and_caches()
    {
        var plot = Path.Combine(set.Root, "roc.png");
        var result = Eval("--plot", plot);
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json;
        Assert.Equal(22, set.People);
        Assert.Equal(2 * set.People + 2, json.GetProperty("photos").GetInt32()); // 44 face photos, nobody, the missing one
        Assert.Equal(2 * set.People, json.GetProperty("photos_with_face").GetInt32());
        var failures = json.GetProperty("no_face").EnumerateArray().ToDictionary(f => f.GetProperty("file").GetString()!, f => f.GetProperty("code").GetString());
        Assert.Equal("NO_FACE", failures[Path.Combine("nobody", "1.jpg")]);
        Assert.Equal("NOT_FOUND", failures[Path.Combine("missing", "1.jpg")]);
        var problem = Assert.Single(json.GetProperty("pair_problems").EnumerateArray());
        Assert.Equal((6, "BAD_PARAM"), (problem.GetProperty("line").GetInt32(), problem.GetProperty("code").GetString()));

        var listed = json.GetProperty("listed_pairs");
        Assert.Equal((6, 4, 2), (listed.GetProperty("pairs").GetInt32(), listed.GetProperty("evaluated").GetInt32(), listed.GetProperty("skipped_no_face").GetInt32()));
        Assert.Equal(1.0, listed.GetProperty("best_threshold").GetProperty("accuracy").GetDouble());

        // Every pair of the folder: 22 same-person pairs, and all the others across people.
        var all = json.GetProperty("all_pairs");
        var n = 2 * set.People;
        Assert.Equal(set.People, all.GetProperty("genuine_pairs").GetInt64());
        Assert.Equal(n * (n - 1) / 2 - set.People, all.GetProperty("impostor_pairs").GetInt64());
        Assert.True(all.GetProperty("genuine_min").GetDouble() > all.GetProperty("impostor_max").GetDouble(), all.ToString());
        Assert.Equal(1.0, all.GetProperty("auc").GetDouble(), 9);
        var tarAtFar = all.GetProperty("tar_at_far").EnumerateArray().ToList();
        Assert.Equal(1.0, tarAtFar[0].GetProperty("tar").GetDouble()); // FAR 1e-2 of 924 pairs is measurable
        Assert.False(tarAtFar[^1].TryGetProperty("tar", out _));         // 1e-6 is not, and says so
        Assert.Contains("different-person pairs", tarAtFar[^1].GetProperty("not_measurable").GetString());

        var png = File.ReadAllBytes(plot);
        Assert.True(png.Length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');

        // A second run with other options reads every embedding from the cache, with the same scores.
        var again = Eval("--plot", "none", "--threshold", "0.5");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(2 * set.People + 2, again.Json.GetProperty("photos_from_cache").GetInt32());
        Assert.Equal(all.GetProperty("auc").GetDouble(), again.Json.GetProperty("all_pairs").GetProperty("auc").GetDouble());
    }

    [Fact]
    public void Human_readable_output_names_the_figures()
    {
        var result = RouterCli.Run("eval", Path.Combine(set.Root, "photos"), "--pairs", set.Pairs, "--cache", set.Cache, "--face", "largest", "--plot", "none");
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var text in new[] { "listed pairs", "accuracy", "EER", "AUC", "1e-3", "not measurable", "no face", "pairs.csv:6", "distributions" })
            Assert.Contains(text, result.Stdout);
    }

    [Fact]
    public void A_missing_folder_is_NOT_FOUND() =>
        CliAssert.Error(RouterCli.Run("eval", Path.Combine(set.Root, "no-such-folder")), "NOT_FOUND");

    [Fact]
    public void A_missing_pairs_list_is_NOT_FOUND() =>
        CliAssert.Error(RouterCli.Run("eval", Path.Combine(set.Root, "photos"), "--pairs", Path.Combine(set.Root, "nope.txt")), "NOT_FOUND");

    [Theory]
    [InlineData("--face", "biggest")]
    [InlineData("--alignment", "seven-point")]
    [InlineData("--threshold", "2")]
    [InlineData("--rescale", "0")]
    public void Bad_options_are_BAD_PARAM(string option, string value) =>
        CliAssert.Error(RouterCli.Run("eval", Path.Combine(set.Root, "photos"), option, value, "--cache", set.Cache, "--listed-only"), "BAD_PARAM");
}
