using Router.Abstractions;
using Router.Galleries.Index;
using Router.Galleries.Query;
using Xunit;

namespace Router.Galleries.Tests;

/// <summary>The scan is the per-query hot path: once warm it must not allocate, whatever it filters on.</summary>
public class ScanAllocationTests
{
    [Fact]
    public void A_warm_scan_with_vector_meta_and_id_filters_allocates_nothing()
    {
        var rng = new Random(9);
        var index = new GalleryIndex("alloc");
        var meta = FaceEntry.Create(new Dictionary<string, MetaValue> { ["age"] = 40, ["cam"] = "a", ["tags"] = new[] { "x", "y" } }, FaceAttributes.Empty);
        for (int i = 0; i < 5000; i++) index.Upsert(i, TestVectors.Random(rng), i % 2 == 0 ? meta : FaceEntry.Empty);
        var plan = new ListPlan
        {
            IdMin = 10,
            Meta =
            [
                new MetaCondition((MetaFilter)Filters.Meta("age").Gte(30)),
                new MetaCondition((MetaFilter)Filters.Meta("cam").OneOf("a", "b")),
                new MetaCondition((MetaFilter)Filters.Meta("cam").Lte("b")),
                new MetaCondition((MetaFilter)Filters.Meta("tags").Subset("x", "y")),
                new MetaCondition((MetaFilter)Filters.Meta("tags").OneOf("y")),
            ],
            Query = TestVectors.Random(rng),
            Threshold = 0,
            Order = ListOrder.ConfidenceDescending,
            Limit = 100,
        };
        for (int warm = 0; warm < 50; warm++) // warm-up: JIT tiers and on-stack replacement allocate on first runs
        {
            using var heap = new CandidateHeap(plan.Order, 164);
            index.Scan(plan, heap);
        }
        using var heap2 = new CandidateHeap(plan.Order, 164);
        long before = GC.GetAllocatedBytesForCurrentThread();
        index.Scan(plan, heap2);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(164, heap2.Count);
    }
}
