using System.Globalization;
using Router.Abstractions;

namespace Router.Host.Evaluation;

/// <summary>A listed verification pair: two photos (paths relative to the set's folder, or absolute) and whether they show one person.</summary>
public sealed record VerificationPair(string FileA, string FileB, bool Same, int Fold, int Line);

/// <summary>A line of a pairs list that could not be read: the evaluation goes on without it.</summary>
public sealed record PairListProblem(string File, int Line, string Code, string Reason);

/// <summary>
/// Reads a pairs list: LFW's <c>pairs*.txt</c> (a first line "N" for one set, or "FOLDS N" for
/// FOLDS folds of N same-person then N different-person pairs; then <c>Name i j</c> and
/// <c>NameA i NameB j</c>, photo i of Name being <c>Name/Name_000i.jpg</c>) or a CSV
/// <c>file_x,file_y,same</c> (header optional; same is 1/0, true/false or yes/no).
/// </summary>
public static class PairList
{
    public sealed record Parsed(IReadOnlyList<VerificationPair> Pairs, IReadOnlyList<PairListProblem> Problems, int Folds);

    public static Parsed Read(string path) => Parse(File.ReadAllLines(path), path);

    public static Parsed Parse(IReadOnlyList<string> lines, string file)
    {
        var first = FirstContentLine(lines);
        if (first < 0) return new Parsed([], [new PairListProblem(file, 1, ErrorCodes.BadParam, "the pairs list is empty")], 0);
        return lines[first].Contains(',') ? ParseCsv(lines, file, first) : ParseLfw(lines, file, first);
    }

    private static Parsed ParseLfw(IReadOnlyList<string> lines, string file, int first)
    {
        var problems = new List<PairListProblem>();
        var pairs = new List<VerificationPair>();
        var header = Split(lines[first]);
        int folds = 1, perKind;
        if (header.Length == 1 && int.TryParse(header[0], NumberStyles.None, CultureInfo.InvariantCulture, out perKind)) { }
        else if (header.Length == 2 && int.TryParse(header[0], NumberStyles.None, CultureInfo.InvariantCulture, out folds)
                 && int.TryParse(header[1], NumberStyles.None, CultureInfo.InvariantCulture, out perKind) && folds > 0) { }
        else
        {
            problems.Add(new PairListProblem(file, first + 1, ErrorCodes.BadParam, $"expected a header 'N' or 'FOLDS N', got '{lines[first]}'"));
            return new Parsed(pairs, problems, 0);
        }
        var index = 0; // the pair's position after the header: fold = index / (2·perKind)
        for (var i = first + 1; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var f = Split(lines[i]);
            var fold = perKind > 0 ? Math.Min(index / (2 * perKind), folds - 1) : 0;
            index++;
            if (f.Length == 3 && Photo(f[1], out var a) && Photo(f[2], out var b))
                pairs.Add(new VerificationPair(LfwPath(f[0], a), LfwPath(f[0], b), true, fold, i + 1));
            else if (f.Length == 4 && Photo(f[1], out a) && Photo(f[3], out b))
                pairs.Add(new VerificationPair(LfwPath(f[0], a), LfwPath(f[2], b), false, fold, i + 1));
            else
                problems.Add(new PairListProblem(file, i + 1, ErrorCodes.BadParam, $"expected 'Name i j' or 'NameA i NameB j' with photo numbers ≥ 1, got '{lines[i].Trim()}'"));
        }
        return new Parsed(pairs, problems, folds);
    }

    private static Parsed ParseCsv(IReadOnlyList<string> lines, string file, int first)
    {
        var problems = new List<PairListProblem>();
        var pairs = new List<VerificationPair>();
        var start = first;
        var head = lines[first].Split(',').Select(s => s.Trim().ToLowerInvariant()).ToArray();
        if (head.Length == 3 && head[2] == "same") start++;
        for (var i = start; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var f = lines[i].Split(',').Select(s => s.Trim()).ToArray();
            if (f.Length != 3 || f[0].Length == 0 || f[1].Length == 0)
                problems.Add(new PairListProblem(file, i + 1, ErrorCodes.BadParam, $"expected 'file_x,file_y,same', got '{lines[i].Trim()}'"));
            else if (ParseSame(f[2]) is not { } same)
                problems.Add(new PairListProblem(file, i + 1, ErrorCodes.BadParam, $"'same' must be 1/0, true/false or yes/no, got '{f[2]}'"));
            else
                pairs.Add(new VerificationPair(f[0], f[1], same, 0, i + 1));
        }
        return new Parsed(pairs, problems, 1);
    }

    private static bool? ParseSame(string s) => s.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" => true,
        "0" or "false" or "no" => false,
        _ => null,
    };

    private static int FirstContentLine(IReadOnlyList<string> lines)
    {
        for (var i = 0; i < lines.Count; i++) if (!string.IsNullOrWhiteSpace(lines[i])) return i;
        return -1;
    }

    private static string[] Split(string line) => line.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);

    private static bool Photo(string s, out int n) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out n) && n >= 1;

    public static string LfwPath(string name, int photo) => Path.Combine(name, $"{name}_{photo.ToString("D4", CultureInfo.InvariantCulture)}.jpg");
}
