using Router.Abstractions;
using Router.Galleries.Index;
using Router.Galleries.Query;
using Router.Tests.Common;
using Xunit;

namespace Router.Galleries.Tests;

/// <summary>
/// The two-stage search of large galleries (sign codes, then int8 scores of the best
/// candidates) against the exact scan of the same index, on face-like vectors. The first
/// stage keeps 1,000 of 40,000 faces (2.5%), so a first stage that ranked no better than
/// chance would find the exact top face about 2.5% of the time, far below the bounds here.
/// </summary>
public class TwoStageSearchTests
{
    private const int Identities = 4000, Shots = 10;

    private static (GalleryIndex Index, float[][] Centres, FaceLikeVectors Gen) Build(int seed, Func<int, FaceEntry>? entry = null)
    {
        var gen = new FaceLikeVectors(seed);
        var index = new GalleryIndex("two-stage") { ApproximateFrom = 0, Candidates = 1000 };
        var centres = new float[Identities][];
        for (int p = 0; p < Identities; p++)
        {
            centres[p] = gen.Identity();
            for (int s = 0; s < Shots; s++)
            {
                int face = p * Shots + s;
                index.Upsert(face + 1, gen.Shot(centres[p]), entry?.Invoke(face) ?? FaceEntry.Empty);
            }
        }
        return (index, centres, gen);
    }

    private static ListPlan Plan(float[] query, int limit = 10, IReadOnlyList<MetaCondition>? meta = null, HashSet<string>? subjects = null,
        HashSet<long>? ids = null, ListCursor? after = null) => new()
    {
        Query = query, Threshold = 0, Order = ListOrder.ConfidenceDescending, Limit = limit,
        Meta = meta ?? [], Subjects = subjects, IdSet = ids, After = after,
    };

    /// <summary>The scan's best ids by int8 score (the order the engine re-ranks from), with the exact path or the index's choice.</summary>
    private static long[] Top(GalleryIndex index, ListPlan plan, bool exact, int k = 10)
    {
        int from = index.ApproximateFrom;
        if (exact) index.ApproximateFrom = int.MaxValue;
        try
        {
            using var heap = new CandidateHeap(plan.Order, plan.Limit + 64);
            index.Scan(plan, heap);
            return heap.Items.ToArray().OrderByDescending(c => c.Approx).ThenBy(c => c.Id).Take(k).Select(c => c.Id).ToArray();
        }
        finally { index.ApproximateFrom = from; }
    }

    [Fact]
    public void Two_stage_results_match_the_exact_scan()
    {
        var (index, centres, gen) = Build(21);
        var rng = new Random(5);
        int queries = 300, top1 = 0, found = 0;
        long before = index.TwoStageScans;
        for (int q = 0; q < queries; q++)
        {
            var query = gen.Shot(centres[rng.Next(Identities)]);
            var exact = Top(index, Plan(query), exact: true);
            var two = Top(index, Plan(query), exact: false);
            if (two[0] == exact[0]) top1++;
            found += exact.Intersect(two).Count();
        }
        Assert.Equal(queries, index.TwoStageScans - before);
        Assert.True(top1 >= queries * 0.99, $"recall@1 {top1}/{queries}");
        Assert.True(found >= queries * 10 * 0.97, $"recall@10 {found}/{queries * 10}");
    }

    [Fact]
    public void Small_galleries_pages_and_small_id_sets_keep_the_exact_path()
    {
        var (index, centres, gen) = Build(22);
        var query = gen.Shot(centres[3]);
        long before = index.TwoStageScans;

        var ids = Enumerable.Range(1, 200).Select(i => (long)i * 7).ToHashSet();
        Assert.Equal(Top(index, Plan(query, ids: ids), exact: true), Top(index, Plan(query, ids: ids), exact: false));
        var after = new ListCursor(ListOrder.ConfidenceDescending, 5, 0.5);
        Assert.Equal(Top(index, Plan(query, after: after), exact: true), Top(index, Plan(query, after: after), exact: false));
        Assert.Equal(before, index.TwoStageScans);

        index.ApproximateFrom = GalleryIndex.DefaultApproximateFrom; // 40,000 faces: below the measured switch
        Top(index, Plan(query), exact: false);
        Assert.Equal(before, index.TwoStageScans);
        index.ApproximateFrom = 0;
        Top(index, Plan(query), exact: false);
        Assert.Equal(before + 1, index.TwoStageScans);
    }

    [Fact]
    public void Meta_and_subject_filters_are_respected_by_the_first_stage()
    {
        var camA = FaceEntry.Create(new Dictionary<string, MetaValue> { ["cam"] = "a" }, FaceAttributes.Empty);
        var camB = FaceEntry.Create(new Dictionary<string, MetaValue> { ["cam"] = "b" }, FaceAttributes.Empty);
        // Cameras alternate by identity; subject "s{p}" on every shot of identities p < 40 (400 faces: a selective filter).
        var (index, centres, gen) = Build(23, face =>
        {
            int p = face / Shots;
            var e = p % 2 == 0 ? camA : camB;
            return p < 40 ? e.WithSubject("s" + p) : e;
        });
        var meta = new[] { new MetaCondition((MetaFilter)Filters.Meta("cam").OneOf("a")) };
        var rng = new Random(6);
        int queries = 100, top1 = 0;
        long before = index.TwoStageScans;
        for (int q = 0; q < queries; q++)
        {
            // Queries of both cameras' identities: for a camera-b identity the filter must hide its own shots.
            var query = gen.Shot(centres[rng.Next(Identities)]);
            var two = Top(index, Plan(query, meta: meta), exact: false);
            Assert.All(two, id => Assert.Equal(0, (id - 1) / Shots % 2));
            if (two[0] == Top(index, Plan(query, meta: meta), exact: true)[0]) top1++;
        }
        Assert.True(top1 >= queries * 0.98, $"filtered recall@1 {top1}/{queries}");

        // A selective subject filter: fewer faces pass than the first stage keeps, so the answer is the exact one.
        var subjects = new HashSet<string> { "s3", "s17", "s30" };
        for (int q = 0; q < 20; q++)
        {
            var query = gen.Shot(centres[rng.Next(Identities)]);
            var two = Top(index, Plan(query, subjects: subjects), exact: false);
            Assert.Equal(Top(index, Plan(query, subjects: subjects), exact: true), two);
            Assert.All(two, id => Assert.Contains((int)((id - 1) / Shots), new[] { 3, 17, 30 }));
        }
        Assert.Equal(queries + 20, index.TwoStageScans - before);
    }

    [Fact]
    public void Adds_replacements_deletes_and_meta_updates_reach_the_codes()
    {
        var (index, centres, gen) = Build(24);
        var probe = gen.Shot(centres[10]);
        var other = gen.Shot(centres[20]);
        const long added = 1_000_000;

        index.Upsert(added, probe, FaceEntry.Empty);
        Assert.Equal(added, Top(index, Plan(probe), exact: false)[0]);

        index.Upsert(added, other, FaceEntry.Empty); // replaced: found by its new vector only
        Assert.Equal(added, Top(index, Plan(other), exact: false)[0]);
        Assert.NotEqual(added, Top(index, Plan(probe), exact: false)[0]);

        Assert.True(index.Remove(added));
        Assert.DoesNotContain(added, Top(index, Plan(other), exact: false));

        // Removing a face moves the last one into its slot, codes and all: the moved face is still found by its own vector.
        var lastVector = gen.Shot(centres[Identities - 1], 0.01);
        const long last = 2_000_000;
        index.Upsert(last, lastVector, FaceEntry.Empty);
        Assert.True(index.Remove(5));
        Assert.Equal(last, Top(index, Plan(lastVector), exact: false)[0]);
        Assert.DoesNotContain(5L, Top(index, Plan(gen.Shot(centres[0], 0.01)), exact: false));

        var tagged = FaceEntry.Create(new Dictionary<string, MetaValue> { ["vip"] = "yes" }, FaceAttributes.Empty);
        var vip = new[] { new MetaCondition((MetaFilter)Filters.Meta("vip").OneOf("yes")) };
        Assert.Empty(Top(index, Plan(lastVector, meta: vip), exact: false));
        Assert.True(index.UpdateEntry(last, tagged));
        Assert.Equal([last], Top(index, Plan(lastVector, meta: vip), exact: false));
    }

    [Fact]
    public void Many_adds_and_deletes_keep_the_id_table_consistent()
    {
        var rng = new Random(8);
        var index = new GalleryIndex("ids");
        var live = new HashSet<long>();
        var v = TestVectors.Random(rng);
        for (int op = 0; op < 60_000; op++)
        {
            // Ids from a narrow range, so that adds, re-adds and deletes collide in the table's probe runs.
            long id = rng.Next(0, 20_000) * 0x10001L;
            if (rng.Next(3) == 0) Assert.Equal(live.Remove(id), index.Remove(id));
            else { index.Upsert(id, v, FaceEntry.Empty); live.Add(id); }
        }
        Assert.Equal(live.Count, index.Count);
        for (long id = 0; id < 20_000; id++) Assert.Equal(live.Contains(id * 0x10001L), index.Contains(id * 0x10001L));
    }

    [Fact]
    public void A_warm_two_stage_scan_allocates_nothing()
    {
        var (index, centres, gen) = Build(25);
        var plan = Plan(gen.Shot(centres[1]), limit: 100);
        for (int warm = 0; warm < 50; warm++)
        {
            using var heap = new CandidateHeap(plan.Order, 164);
            index.Scan(plan, heap);
        }
        long scans = index.TwoStageScans;
        using var heap2 = new CandidateHeap(plan.Order, 164);
        long before = GC.GetAllocatedBytesForCurrentThread();
        index.Scan(plan, heap2);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(scans + 1, index.TwoStageScans);
        Assert.Equal(164, heap2.Count);
    }

    [Fact]
    public void The_plain_popcount_loop_and_the_avx2_kernel_keep_the_same_candidates()
    {
        var (index, centres, gen) = Build(26);
        index.Remove(17); // a moved face and a partial last block of four
        var rng = new Random(10);
        try
        {
            for (int q = 0; q < 30; q++)
            {
                var query = gen.Shot(centres[rng.Next(Identities)]);
                GalleryIndex.ScalarFirstStage = false;
                var simd = Top(index, Plan(query, limit: 100), exact: false, k: 164);
                GalleryIndex.ScalarFirstStage = true;
                var scalar = Top(index, Plan(query, limit: 100), exact: false, k: 164);
                Assert.Equal(simd, scalar);
            }
        }
        finally { GalleryIndex.ScalarFirstStage = false; }
    }

    [Fact]
    public void Sign_code_distance_follows_the_angle()
    {
        var rng = new Random(9);
        Span<ulong> a = stackalloc ulong[SignCodes.Words], b = stackalloc ulong[SignCodes.Words];
        foreach (double noise in new[] { 0.3, 0.8, 1.5 })
        {
            double sum = 0, expected = 0;
            for (int round = 0; round < 200; round++)
            {
                var x = TestVectors.Random(rng);
                var y = TestVectors.Near(x, noise, rng);
                SignCodes.Encode(x, a);
                SignCodes.Encode(y, b);
                sum += SignCodes.Distance(ref a[0], ref b[0]);
                expected += 512 * Math.Acos(System.Numerics.Tensors.TensorPrimitives.Dot<float>(x, y)) / Math.PI;
            }
            // A random rotation makes each bit differ with probability θ/π: the mean distance is 512·θ/π.
            Assert.InRange(sum / 200, expected / 200 - 3, expected / 200 + 3);
        }
    }
}
