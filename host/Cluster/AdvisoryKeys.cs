using System.Security.Cryptography;
using System.Text;

namespace Router.Host.Cluster;

/// <summary>
/// The 64-bit keys of the session advisory locks: one a camera (who runs it) and one a node name (one
/// process a name). 64 bits of SHA-256, so that two of a few thousand names clash with odds near 10^-13;
/// pg_locks shows a key as classid (high 32 bits) and objid (low 32 bits) with objsubid 1.
/// </summary>
public static class AdvisoryKeys
{
    public static long Camera(string camId) => Hash("router-camera:" + camId);

    public static long Node(string nodeName) => Hash("router-node:" + nodeName);

    public static long FromPgLocks(uint classId, uint objId) => (long)(((ulong)classId << 32) | objId);

    private static long Hash(string text) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
}
