namespace Router.Abstractions;

/// <summary>
/// An error with a machine code (<see cref="ErrorCodes"/>), a human reason and, for
/// <c>BAD_PARAM</c>, the offending parameter and value. Every layer throws this type so
/// that the CLI and the HTTP API can report it without guessing.
/// </summary>
public class RouterException : Exception
{
    public RouterException(string code, string reason, string? param = null, string? value = null, Exception? inner = null)
        : base(reason, inner)
    {
        Code = code;
        Reason = reason;
        Param = param;
        Value = value;
    }

    public string Code { get; }
    public string Reason { get; }
    public string? Param { get; }
    public string? Value { get; }

    public static RouterException BadParam(string param, object? value, string reason) =>
        new(ErrorCodes.BadParam, reason, param, value?.ToString());
}
