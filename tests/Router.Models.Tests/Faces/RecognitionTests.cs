using Router.Abstractions;
using Router.Models.Faces;
using Router.Models.Imaging;
using Router.Tests.Common;
using Xunit;
using Xunit.Abstractions;

namespace Router.Models.Tests.Faces;

public sealed class RecognitionTests(AnalyzerFixture fixture, ITestOutputHelper output) : IClassFixture<AnalyzerFixture>
{
    private FaceAnalyzer Analyzer => fixture.Analyzer;

    [Theory]
    [MemberData(nameof(Photos))]
    public void Finds_every_face_of_each_sample_photo(string name)
    {
        var result = Analyzer.AnalyzeImage(SamplePhotos.Read(name), FaceFeatures.Detection);
        Assert.Equal(SamplePhotos.FaceCounts[name], result.Faces.Count);
        Assert.All(result.Faces, f => Assert.InRange(f.Detection.Box.Width, 100, 400));
        Assert.Equal(result.Faces.OrderByDescending(f => f.Detection.Score).Select(f => f.Detection), result.Faces.Select(f => f.Detection));
    }

    public static TheoryData<string> Photos() => new(SamplePhotos.Names);

    private static List<(string Photo, float[] Embedding, BBox Box)> Embeddings(FaceAnalyzer analyzer, byte[] jpeg, string photo) =>
        analyzer.AnalyzeImage(jpeg, FaceFeatures.Facen).Faces.Select(f => (photo, f.Embedding!, f.Detection.Box)).ToList();

    /// <summary>
    /// The one pair of the 22 sample faces that matches although the photos are of "different" people:
    /// sample1's face whose box starts at x≈1466 and sample3's at x≈1034 look like the same woman photographed twice
    /// (issue 8). It is excluded by position, so that any other pair above the threshold fails.
    /// </summary>
    private static bool IsLookAlikePair((string Photo, float[] Embedding, BBox Box) a, (string Photo, float[] Embedding, BBox Box) b)
    {
        static bool At((string Photo, float[] Embedding, BBox Box) f, string photo, int x) => f.Photo == photo && Math.Abs(f.Box.Left - x) < 60;
        return (At(a, "sample1.jpg", 1466) && At(b, "sample3.jpg", 1034)) || (At(b, "sample1.jpg", 1466) && At(a, "sample3.jpg", 1034));
    }

    [Fact]
    public void Same_faces_match_after_rescale_and_recompression_and_different_people_do_not()
    {
        var originals = new List<(string Photo, float[] Embedding, BBox Box)>();
        var genuineMin = 1f;
        foreach (var name in SamplePhotos.Names)
        {
            var bytes = SamplePhotos.Read(name);
            var faces = Embeddings(Analyzer, bytes, name);
            originals.AddRange(faces);
            using var decoded = ImageDecoder.Decode(bytes);
            using var small = ImageOps.Resize(decoded.Image, (int)(decoded.Image.Width * 0.6), (int)(decoded.Image.Height * 0.6));
            var recompressed = Embeddings(Analyzer, JpegCodec.Encode(small, 70), name);
            Assert.Equal(faces.Count, recompressed.Count);
            // Each face must find itself at the identification threshold among the re-captured faces. (With five-point
            // alignment one sample2 face scores 0.70 here, against 0.94 with eyes-nose; LFW's 3,192 same-person pairs
            // favour five-point by 4 points of TAR at FAR 1e-4, so that is the default: README, "Recognition accuracy".)
            foreach (var f in faces)
            {
                var best = recompressed.Max(r => FaceMatcher.Similarity(f.Embedding, r.Embedding));
                genuineMin = Math.Min(genuineMin, best);
                Assert.True(best >= MatchThresholds.Identification, $"{name}: same face after rescale+recompress scored {best}");
            }
        }
        var impostorMax = -1f;
        var pairs = 0;
        for (var i = 0; i < originals.Count; i++)
            for (var j = i + 1; j < originals.Count; j++)
            {
                var s = FaceMatcher.Similarity(originals[i].Embedding, originals[j].Embedding);
                pairs++;
                if (IsLookAlikePair(originals[i], originals[j]))
                {
                    output.WriteLine($"look-alike pair ({originals[i].Photo} x={originals[i].Box.Left}, {originals[j].Photo} x={originals[j].Box.Left}): {s:F3}");
                    continue;
                }
                impostorMax = Math.Max(impostorMax, s);
                Assert.False(FaceMatcher.IsMatch(s), $"different people ({originals[i].Photo} x={originals[i].Box.Left}, {originals[j].Photo} x={originals[j].Box.Left}) matched at {s}");
            }
        output.WriteLine($"genuine min {genuineMin:F3}, impostor max {impostorMax:F3} over {pairs} pairs, threshold {MatchThresholds.Verification}");
        Assert.Equal(231, pairs);
    }

    [Fact]
    public void Embeddings_are_unit_length()
    {
        var face = Analyzer.AnalyzeImage(SamplePhotos.Read("sample1.jpg"), FaceFeatures.Facen).Faces[0];
        Assert.Equal(FaceEmbedder.Dimensions, face.Embedding!.Length);
        Assert.Equal(1.0, Math.Sqrt(face.Embedding.Sum(v => (double)v * v)), 3);
    }

    /// <summary>
    /// The video pipeline hands routing the landmarks its quality pass computed: on the same pixels and box
    /// they must give exactly what running the landmark model again gives.
    /// </summary>
    [Fact]
    public void Landmarks_given_for_the_same_box_and_pixels_give_the_same_analysis_as_computed_ones()
    {
        using var decoded = ImageDecoder.Decode(SamplePhotos.Read("sample2.jpg"));
        var image = decoded.Image;
        var face = Analyzer.Detect(image)[0];
        var all = FaceFeatures.Facen | FaceFeatures.Quality | FaceFeatures.Eyes;
        var computed = Analyzer.Analyze(image, face, all);
        var given = Analyzer.Analyze(image, face, all, Analyzer.Analyze(image, face, FaceFeatures.Quality).Landmarks);
        Assert.Equal(computed.Landmarks, given.Landmarks);
        Assert.Equal(computed.Embedding, given.Embedding);
        Assert.Equal(computed.Attributes.Quality!.Score, given.Attributes.Quality!.Score);
        Assert.Equal(computed.Attributes.Eyes, given.Attributes.Eyes);
        Assert.Throws<ArgumentException>(() => Analyzer.Analyze(image, face, all, new System.Drawing.PointF[5]));
    }

    [Fact]
    public void Attributes_are_sane_on_the_sample_faces()
    {
        var all = FaceFeatures.Gender | FaceFeatures.Age | FaceFeatures.Liveness | FaceFeatures.Quality | FaceFeatures.Eyes | FaceFeatures.Pose;
        var faces = SamplePhotos.Names.SelectMany(n => Analyzer.AnalyzeImage(SamplePhotos.Read(n), all).Faces).ToList();
        Assert.Equal(22, faces.Count);
        var women = faces.Count(f => f.Attributes.Gender!.Gender == "female");
        output.WriteLine($"women {women}/22; ages {string.Join(",", faces.Select(f => f.Attributes.Age))}");
        Assert.True(women >= 20, $"gender right for only {women} of 22 women");
        Assert.All(faces, f =>
        {
            Assert.InRange(f.Attributes.Age!.Value, 16, 60);
            Assert.InRange(f.Attributes.Liveness!.Score, 0f, 1f);
            Assert.InRange(f.Attributes.Quality!.Score, 0f, 1f);
            Assert.InRange(f.Attributes.Gender!.Score, 0.5f, 1f);
            Assert.InRange(f.Attributes.Pose!.Yaw, -99f, 99f);
            Assert.Equal(68, f.Landmarks.Length);
            Assert.All(f.Landmarks, p => Assert.True(p.X >= f.Detection.Box.Left - 20 && p.X <= f.Detection.Box.Right + 20));
        });
    }

    [Fact]
    public void Emotion_probabilities_sum_to_one_most_likely_first()
    {
        var face = Analyzer.AnalyzeImage(SamplePhotos.Read("sample3.jpg"), FaceFeatures.Emotions).Faces[0];
        var emotions = face.Attributes.Emotions!;
        Assert.Equal(7, emotions.Count);
        Assert.Equal(ExpressionClassifier.Emotions.Order(), emotions.Select(e => e.Emotion).Order());
        Assert.Equal(1.0, emotions.Sum(e => e.Confidence), 3);
        Assert.Equal(emotions.OrderByDescending(e => e.Confidence), emotions);
    }

    private float Sharpness(BgrImage image, FaceDetection face)
    {
        using var aligned = Analyzer.Align(image, Analyzer.Analyze(image, face, FaceFeatures.None).Landmarks);
        var gray = new byte[112 * 112];
        ColorConversions.ToGray(aligned, gray);
        return QualityEstimator.LaplacianVariance(gray, 112);
    }

    [Fact]
    public void Quality_does_not_call_compressed_video_sized_faces_blurred()
    {
        // What a camera gives: the photo at 720p (faces of ~100-150 px) with heavy JPEG compression.
        using var decoded = ImageDecoder.Decode(SamplePhotos.Read("sample1.jpg"));
        using var small = ImageOps.Resize(decoded.Image, 1080, 720);
        using var frame = ImageDecoder.Decode(JpegCodec.Encode(small, 40)).Image;
        var faces = Analyzer.Detect(frame);
        Assert.Equal(3, faces.Count);
        foreach (var face in faces)
        {
            var quality = Analyzer.Analyze(frame, face, FaceFeatures.Quality).Attributes.Quality!;
            output.WriteLine($"{face.Box.Width} px: sharpness {Sharpness(frame, face)}, quality {quality.Score}");
            Assert.DoesNotContain(QualityTraits.Blurred, quality.Traits);
        }
    }

    [Fact]
    public void Quality_flags_a_blurred_small_face()
    {
        using var decoded = ImageDecoder.Decode(SamplePhotos.Read("sample6.jpg"));
        var face = Analyzer.Detect(decoded.Image)[0];
        var sharp = Analyzer.Analyze(decoded.Image, face, FaceFeatures.Quality).Attributes.Quality!;
        // Shrink until the face is about 24 px wide and enlarge back: the face keeps its place
        // but loses its detail, whatever its size in the photo.
        var shrink = Math.Max(2, face.Box.Width / 24);
        using var tiny = ImageOps.Resize(decoded.Image, decoded.Image.Width / shrink, decoded.Image.Height / shrink);
        using var blurred = ImageOps.Resize(tiny, decoded.Image.Width, decoded.Image.Height);
        var soft = Analyzer.Analyze(blurred, face, FaceFeatures.Quality).Attributes.Quality!;
        output.WriteLine($"sharp {Sharpness(decoded.Image, face)}, blurred {Sharpness(blurred, face)}");
        Assert.DoesNotContain(QualityTraits.Blurred, sharp.Traits);
        Assert.Contains(QualityTraits.Blurred, soft.Traits);
        Assert.True(soft.Score < sharp.Score);
    }
}
