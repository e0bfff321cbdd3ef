using System.Numerics.Tensors;
using Router.Abstractions;
using Router.Tests.Common;
using Xunit;

namespace Router.Host.Tests.Api;

/// <summary>Subjects (persons) and negative examples through every client on every store.</summary>
public abstract partial class GalleryClientConformance
{
    /// <summary>Orthonormal directions, so the tests can build faces with exactly the similarities they need.</summary>
    private float[][] Basis(int count)
    {
        var basis = new List<float[]>();
        while (basis.Count < count)
        {
            var v = Vec();
            foreach (var b in basis)
            {
                var d = TensorPrimitives.Dot(v, b);
                for (int i = 0; i < v.Length; i++) v[i] -= d * b[i];
            }
            TestVectors.Normalize(v);
            basis.Add(v);
        }
        return [.. basis];
    }

    private static float[] Mix(params (double Weight, float[] Direction)[] parts)
    {
        var v = new float[parts[0].Direction.Length];
        foreach (var (w, d) in parts)
            for (int i = 0; i < v.Length; i++) v[i] += (float)w * d[i];
        TestVectors.Normalize(v);
        return v;
    }

    private async Task<FaceSource> Source(float[] v) => FaceSource.FromDetection(await Server.CacheDetectionAsync(v));

    [Fact]
    public async Task Subjects_are_created_renamed_merged_and_deleted_with_their_faces()
    {
        var g = await NewGallery("staff");
        var b = Basis(3);
        Assert.Empty(await g.ListSubjectsAsync());
        Assert.Equal(new SubjectInfo("Ann", 0, 0), await g.CreateSubjectAsync("Ann"));
        await Expect(ErrorCodes.Conflict, () => g.CreateSubjectAsync("Ann"));
        await Expect(ErrorCodes.BadParam, () => g.CreateSubjectAsync(" Ann"));
        await Expect(ErrorCodes.BadParam, () => g.CreateSubjectAsync("a/b"));

        var ann1 = await g.AddAsync(null, await Source(b[0]), subject: "Ann");
        Assert.Equal("Ann", ann1.Subject);
        var ann2 = await g.AddAsync(null, await Source(Mix((0.9, b[0]), (0.3, b[2]))), subject: "Ann");
        var bob = await g.AddAsync(null, await Source(b[1]), subject: "Bob"); // created on its first face
        var loose = await g.AddAsync(null, await Source(b[2]));
        Assert.Null(loose.Subject);
        Assert.Equal([new SubjectInfo("Ann", 2, 0), new SubjectInfo("Bob", 1, 0)], await g.ListSubjectsAsync());
        Assert.Equal(new[] { ann1.Id.Face, ann2.Id.Face }.Order(), (await g.ListAsync([Filters.Subject.OneOf("Ann")])).Results.Select(f => f.Id.Face).Order());

        // A face moves between subjects and out of them.
        Assert.Equal("Bob", (await g.SetSubjectAsync(loose.Id.Face, "Bob")).Subject);
        Assert.Equal("Bob", (await g.GetAsync(loose.Id.Face)).Subject);
        Assert.Null((await g.SetSubjectAsync(loose.Id.Face, null)).Subject);
        await Expect(ErrorCodes.NotFound, () => g.SetSubjectAsync(999, "Bob"));

        // Renaming onto an existing subject merges the two.
        Assert.Equal(new SubjectInfo("Robert", 1, 0), await g.RenameSubjectAsync("Bob", "Robert"));
        Assert.Equal(new SubjectInfo("Robert", 3, 0), await g.RenameSubjectAsync("Ann", "Robert"));
        Assert.Equal([new SubjectInfo("Robert", 3, 0)], await g.ListSubjectsAsync());
        Assert.Equal("Robert", (await g.GetAsync(ann1.Id.Face)).Subject);
        await Expect(ErrorCodes.NotFound, () => g.RenameSubjectAsync("Ann", "X"));

        await RestartAsync();
        g = Client.Gallery("staff");
        Assert.Equal([new SubjectInfo("Robert", 3, 0)], await g.ListSubjectsAsync());
        Assert.Equal("Robert", (await g.GetAsync(bob.Id.Face)).Subject);

        Assert.Equal(3, await g.DeleteSubjectAsync("Robert"));
        Assert.Empty(await g.ListSubjectsAsync());
        await Expect(ErrorCodes.NotFound, () => g.GetAsync(ann2.Id.Face));
        Assert.Equal([loose.Id.Face], (await g.ListAsync()).Results.Select(f => f.Id.Face));
        await Expect(ErrorCodes.NotFound, () => g.DeleteSubjectAsync("Robert"));
    }

    [Fact]
    public async Task A_subject_search_answers_each_person_once_with_the_best_face()
    {
        var g = await NewGallery("people");
        var b = Basis(5);
        // Ann enrolled from five photos, Bob from two; a face without a subject that is closest of all.
        var annFaces = new List<Face>();
        for (int i = 0; i < 5; i++) annFaces.Add(await g.AddAsync(null, await Source(Mix((1, b[0]), (0.2 + 0.1 * i, b[2 + i % 3]))), subject: "Ann"));
        await g.AddAsync(null, await Source(Mix((0.6, b[0]), (0.8, b[1]))), subject: "Bob");
        await g.AddAsync(null, await Source(Mix((0.5, b[0]), (0.9, b[1]))), subject: "Bob");
        await g.AddAsync(null, await Source(b[0]));

        var probe = b[0];
        var matches = await g.SearchSubjectsAsync(await Source(probe), 0.4);
        Assert.Equal(["Ann", "Bob"], matches.Select(m => m.Subject));
        // Ann's first photo is the least mixed, so the closest to the probe.
        Assert.Equal(annFaces[0].Id.Face, matches[0].Face.Id.Face);
        Assert.Equal("Ann", matches[0].Face.Subject);
        Assert.InRange(matches[0].Confidence, 0.97, 0.99);
        Assert.Equal(MatchCalibration.Default.FalseMatchRate(matches[0].Confidence), matches[0].Far, 12);
        Assert.InRange(matches[1].Confidence, 0.59, 0.61);
        Assert.Null(matches[0].NegativeConfidence);

        Assert.Equal(["Ann"], (await g.SearchSubjectsAsync(await Source(probe), 0.4, limit: 1)).Select(m => m.Subject));
        Assert.Equal(["Ann"], (await g.SearchSubjectsAsync(await Source(probe), 0.7)).Select(m => m.Subject));
        // Filters narrow the faces searched.
        Assert.Equal(["Bob"], (await g.SearchSubjectsAsync(await Source(probe), 0.4, filters: [Filters.Subject.OneOf("Bob")])).Select(m => m.Subject));
        await Expect(ErrorCodes.GalleryNotFound, async () => await Client.Gallery("nobody").SearchSubjectsAsync(await Source(probe), 0.4));
        await Expect(ErrorCodes.BadParam, async () => await g.SearchSubjectsAsync(await Source(probe), 1.5));
    }

    [Fact]
    public async Task One_negative_example_stops_a_false_match_and_keeps_the_true_ones()
    {
        var g = await NewGallery("watch");
        var b = Basis(4);
        var x = b[0];
        await g.AddAsync(null, await Source(x), subject: "X");
        // A stranger who looks like X (0.55, above the 0.48 identification threshold)...
        var stranger = Mix((0.55, b[0]), (Math.Sqrt(1 - 0.55 * 0.55), b[1]));
        // ...seen again later from another angle: still 0.55 to X, 0.94 to the first sighting.
        var strangerAgain = Mix((0.5, b[0]), (0.7, b[1]), (0.3, b[2]));
        // X seen again: 0.86 to X, 0.56 to the stranger.
        var xAgain = Mix((0.85, b[0]), (0.1, b[1]), (0.5, b[3]));
        Assert.Equal(["X"], (await g.SearchSubjectsAsync(await Source(strangerAgain), MatchThresholds.Identification)).Select(m => m.Subject));

        var negative = await g.AddNegativeAsync("X", await Source(stranger));
        Assert.Equal("X", negative.Subject);
        Assert.StartsWith("detection:", negative.Source);
        Assert.Empty(await g.SearchSubjectsAsync(await Source(strangerAgain), MatchThresholds.Identification));
        var kept = Assert.Single(await g.SearchSubjectsAsync(await Source(xAgain), MatchThresholds.Identification));
        Assert.Equal("X", kept.Subject);
        Assert.InRange(kept.NegativeConfidence!.Value, 0.5, 0.6);
        // The negative is not a face of the gallery: plain face searches do not see it.
        Assert.Single((await g.ListAsync()).Results);
        Assert.Equal(new SubjectInfo("X", 1, 1), Assert.Single(await g.ListSubjectsAsync()));

        await RestartAsync();
        g = Client.Gallery("watch");
        Assert.Empty(await g.SearchSubjectsAsync(await Source(strangerAgain), MatchThresholds.Identification));
        Assert.Equal([negative.Id], (await g.ListNegativesAsync("X")).Select(n => n.Id));
        await Expect(ErrorCodes.NotFound, () => g.AddNegativeAsync("Y", FaceSource.FromDetection("whatever")));
        await Expect(ErrorCodes.SourceNotFound, () => g.AddNegativeAsync("X", FaceSource.FromDetection("expired")));

        await g.DeleteNegativeAsync("X", negative.Id);
        await Expect(ErrorCodes.NotFound, () => g.DeleteNegativeAsync("X", negative.Id));
        Assert.Equal(["X"], (await g.SearchSubjectsAsync(await Source(strangerAgain), MatchThresholds.Identification)).Select(m => m.Subject));
    }
}
