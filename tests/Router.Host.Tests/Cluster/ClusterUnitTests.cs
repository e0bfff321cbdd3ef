using Router.Host.Cluster;
using Xunit;

namespace Router.Host.Tests.Cluster;

public sealed class ClusterOptionsTests
{
    [Fact]
    public void Off_by_default_and_then_nothing_is_checked()
    {
        var o = new ClusterOptions { NodeName = "" };
        Assert.False(o.Enabled);
        Assert.Empty(o.Validate());
    }

    [Fact]
    public void Enabled_needs_postgresql_a_valid_name_and_a_grace_above_the_fencing_bound()
    {
        var problems = new ClusterOptions { Enabled = true, NodeName = "bad name!", FenceAfter = TimeSpan.FromSeconds(4), TakeoverGrace = TimeSpan.FromSeconds(4.5) }.Validate().ToList();
        Assert.Contains(problems, p => p.StartsWith("Cluster:NodeName"));
        Assert.Contains(problems, p => p.StartsWith("Cluster:Enabled needs PostgreSQL"));
        Assert.Contains(problems, p => p.StartsWith("Cluster:TakeoverGrace"));
        Assert.Empty(new ClusterOptions { Enabled = true, NodeName = "edge-01", PostgresConnectionString = "Host=x" }.Validate());
    }

    [Fact]
    public void The_node_name_defaults_to_the_host_name()
    {
        Assert.Equal(Environment.MachineName, new ClusterOptions().NodeName);
    }
}

public sealed class ClusterEventIdGeneratorTests
{
    [Fact]
    public void Ids_of_two_slots_never_collide_and_each_node_s_ids_increase_even_past_4096_a_millisecond()
    {
        var a = new ClusterEventIdGenerator("a");
        var b = new ClusterEventIdGenerator("b");
        a.UseSlot(1);
        b.UseSlot(2);
        var seen = new HashSet<ulong>();
        ulong lastA = 0, lastB = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var x = a.Next();
            var y = b.Next();
            Assert.True(x > lastA && y > lastB);
            lastA = x;
            lastB = y;
            Assert.True(seen.Add(x));
            Assert.True(seen.Add(y));
            Assert.Equal(1, ClusterEventIdGenerator.SlotOf(x));
            Assert.Equal(2, ClusterEventIdGenerator.SlotOf(y));
        }
        Assert.True(lastA < (1UL << 63), "ids stay positive as signed 64-bit integers");
    }

    [Fact]
    public void A_slot_out_of_range_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClusterEventIdGenerator("a").UseSlot(ClusterSchema.Slots));
    }

    [Fact]
    public void Advisory_keys_survive_the_pg_locks_split_into_classid_and_objid()
    {
        var key = AdvisoryKeys.Camera("lobby");
        Assert.Equal(key, AdvisoryKeys.FromPgLocks((uint)((ulong)key >> 32), (uint)key));
        Assert.NotEqual(AdvisoryKeys.Camera("lobby"), AdvisoryKeys.Node("lobby"));
    }
}
