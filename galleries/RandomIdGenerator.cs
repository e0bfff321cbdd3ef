using Router.Abstractions;

namespace Router.Galleries;

/// <summary>
/// Random positive ids below 2^53, so that they survive JSON clients that read numbers as
/// doubles (JavaScript reads 63-bit ids inexactly); a clash is unlikely and answered by the add's
/// regenerate attempts. The one face id generator of the host, its plugins (ctx.idgen()) and the engine.
/// </summary>
public sealed class RandomIdGenerator : IIdGenerator
{
    public long NextId() => Random.Shared.NextInt64(1, 1L << 53);
}
