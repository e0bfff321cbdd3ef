using System.Text.Json;
using Router.Abstractions;

namespace Router.Host.Cli;

/// <summary>
/// How every command reports failure: one JSON object {"code","reason"[,"param","value"]} on
/// stdout and a non-zero exit code, never a stack trace.
/// </summary>
internal static class CliErrors
{
    public const int ExitError = 1;

    /// <summary>Runs <paramref name="body"/>, turning any exception into the JSON error.</summary>
    public static int Run(Func<int> body, TextWriter? output = null)
    {
        output ??= Console.Out;
        try { return body(); }
        catch (RouterException e) { return Print(output, e.Code, e.Reason, e.Param, e.Value); }
        catch (Exception e) { return Print(output, ErrorCodes.UnknownError, e.Message, null, null); }
    }

    public static int Print(TextWriter output, string code, string reason, string? param, string? value)
    {
        output.WriteLine(JsonSerializer.Serialize(new ErrorBody(code, reason, param, value), RouterJson.Options));
        return ExitError;
    }

    /// <summary>The bytes of a file named on the command line: NOT_FOUND when it is missing.</summary>
    public static byte[] ReadFile(string path, string param)
    {
        if (!File.Exists(path)) throw new RouterException(ErrorCodes.NotFound, $"file not found: {path}", param, path);
        return File.ReadAllBytes(path);
    }

    private sealed record ErrorBody(string Code, string Reason, string? Param, string? Value);
}
