using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>
/// OpenAPI metadata for the error answers of an endpoint: every error is the same JSON body
/// (<see cref="WireError"/>), written by <see cref="ErrorHandlingMiddleware"/> from the exception a
/// handler throws, so the framework cannot infer them from the handler's return type.
/// </summary>
public static class ErrorResponses
{
    public static TBuilder ProducesErrors<TBuilder>(this TBuilder builder, params int[] statuses) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statuses)
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(WireError), ["application/json"]));
        return builder;
    }
}
