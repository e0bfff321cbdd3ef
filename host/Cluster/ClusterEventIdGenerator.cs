using System.Security.Cryptography;
using System.Text;
using Router.Host.Pipeline;

namespace Router.Host.Cluster;

/// <summary>
/// Event ids unique across the nodes of a cluster: 41 bits of milliseconds since 2024-01-01 (until
/// 2093), 10 bits of the node's slot, 12 bits of sequence within the millisecond (4,096 events a
/// millisecond and node; past that the clock is borrowed from, so ids stay unique and increasing).
/// </summary>
/// <remarks>
/// Why not the single-box <see cref="TimeOrderedEventIdGenerator"/>: it starts each process at
/// (ms &lt;&lt; 20) | 20 random bits and counts up, so two nodes started in adjacent milliseconds may begin
/// a few ids apart and then collide on the next events; a cluster starts its nodes together. The slot
/// is a property of the node name, kept in the <c>nodes</c> table (unique), so two live nodes never
/// share one. A slot is reused only by the same node name, whose previous process is gone (the node
/// name lock), which restarts later in time than its last id, clocks kept by NTP assumed.
/// </remarks>
public sealed class ClusterEventIdGenerator : IEventIdGenerator
{
    private static readonly long Epoch = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private readonly object _lock = new();
    private long _lastMs = -1;
    private int _seq;
    private int _slot;

    /// <param name="nodeName">Until PostgreSQL gave the node its slot (a configured camera may start first), the slot is a hash of the name.</param>
    public ClusterEventIdGenerator(string nodeName) =>
        _slot = (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(nodeName)), 0) % ClusterSchema.Slots);

    public int Slot { get { lock (_lock) return _slot; } }

    public void UseSlot(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, ClusterSchema.Slots);
        lock (_lock) _slot = slot;
    }

    public ulong Next()
    {
        lock (_lock)
        {
            var ms = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Epoch;
            if (ms > _lastMs)
            {
                _lastMs = ms;
                _seq = 0;
            }
            else if (++_seq == 4096)
            {
                _lastMs++;
                _seq = 0;
            }
            return (ulong)((_lastMs << 22) | ((long)_slot << 12) | (long)_seq);
        }
    }

    /// <summary>The slot an id was made on (which node made it).</summary>
    public static int SlotOf(ulong id) => (int)((id >> 12) & (ClusterSchema.Slots - 1));
}
