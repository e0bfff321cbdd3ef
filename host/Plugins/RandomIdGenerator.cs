using System.Security.Cryptography;
using Router.Abstractions;

namespace Router.Host.Plugins;

/// <summary>
/// Positive 63-bit random face ids (ctx.idgen()): unique with high probability without any
/// shared state, which is what AddAsync's regenerate-on-CONFLICT expects. Registered only when
/// the gallery engine does not provide its own generator.
/// </summary>
public sealed class RandomIdGenerator : IIdGenerator
{
    public long NextId()
    {
        Span<byte> bytes = stackalloc byte[8];
        long id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = BitConverter.ToInt64(bytes) & long.MaxValue;
        } while (id == 0);
        return id;
    }
}
