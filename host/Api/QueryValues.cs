using System.Globalization;
using Router.Abstractions;

namespace Router.Host.Api;

/// <summary>Parsing of query-string and route values into BAD_PARAM-checked types.</summary>
internal static class QueryValues
{
    public static bool Bool(string name, string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => true,
        "1" or "true" or "yes" or "on" => true,
        "0" or "false" or "no" or "off" => false,
        _ => throw RouterException.BadParam(name, value, "a boolean is 1/true/yes/on or 0/false/no/off"),
    };

    public static long Long(string name, string? value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
            : throw RouterException.BadParam(name, value, "expected an integer");

    public static int Int(string name, string? value) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
            : throw RouterException.BadParam(name, value, "expected an integer");

    public static double Double(string name, string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) ? n
            : throw RouterException.BadParam(name, value, "expected a number");
}
