using System.Text.RegularExpressions;
using Router.Host.Tests.Plugins;
using Xunit;

namespace Router.Host.Tests.Composition;

/// <summary>
/// The host's folders (Ingest, Tracking, Routing, Plugins, Events, Api, Compat, Composition...) depend
/// on each other one way only: a folder that names another folder's namespace depends on it, and no
/// chain of such dependencies leads back. Composition (which wires everything) is where a new
/// two-way need belongs.
/// </summary>
public sealed partial class FolderDependencyTests
{
    [Fact]
    public void No_cycle_between_the_host_folders()
    {
        var host = Path.Combine(ProbePluginBuild.RepoRoot(), "host");
        var folders = Directory.GetDirectories(host).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).ToHashSet()!;
        var edges = folders.ToDictionary(f => f!, _ => new Dictionary<string, string>());
        foreach (var folder in folders)
            foreach (var file in Directory.EnumerateFiles(Path.Combine(host, folder!), "*.cs", SearchOption.AllDirectories))
                foreach (Match m in HostNamespace().Matches(File.ReadAllText(file)))
                    if (m.Groups[1].Value is var other && other != folder && folders.Contains(other))
                        edges[folder!].TryAdd(other, Path.GetFileName(file));

        Assert.True(edges.Count > 10, "the host's folders were not found");
        var cycles = new List<string>();
        foreach (var start in edges.Keys)
        {
            // A path back to the start folder through its dependencies, breadth first.
            var from = new Dictionary<string, string>();
            var queue = new Queue<string>(edges[start].Keys.Select(k => { from[k] = start; return k; }));
            while (queue.TryDequeue(out var at) && at != start)
                foreach (var next in edges[at].Keys)
                    if (from.TryAdd(next, at)) queue.Enqueue(next);
            if (!from.ContainsKey(start)) continue;
            var chain = new List<string> { start };
            for (var at = from[start]; at != start; at = from[at]) chain.Add($"{at} ({edges[at].GetValueOrDefault(chain[^1])})");
            cycles.Add(string.Join(" <- ", chain) + " <- " + start);
        }
        Assert.True(cycles.Count == 0, "folder cycles:\n" + string.Join("\n", cycles));
    }

    [GeneratedRegex(@"Router\.Host\.(\w+)")]
    private static partial Regex HostNamespace();
}
