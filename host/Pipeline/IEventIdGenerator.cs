namespace Router.Host.Pipeline;

/// <summary>Gives each face event its unique 64-bit id.</summary>
public interface IEventIdGenerator
{
    ulong Next();
}
