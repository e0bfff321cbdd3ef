namespace Router.Abstractions;

/// <summary>Generates 64-bit face ids that are unique with high probability (the sfapi ctx.idgen()).</summary>
public interface IIdGenerator
{
    long NextId();
}
