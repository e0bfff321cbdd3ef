using System.Diagnostics;
using Xunit;

namespace Router.Galleries.Tests;

/// <summary>
/// A fact that needs to mount a file system (a small tmpfs): it runs as root where mount(8) is
/// present, and is reported skipped, with the reason, elsewhere (xunit 2 has no skip at run time).
/// </summary>
public sealed class MountFactAttribute : FactAttribute
{
    public MountFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/bin/mount") && !File.Exists("/usr/bin/mount"))
            Skip = "needs root and mount(8) to mount a small tmpfs";
    }

    /// <summary>Runs mount/umount; throws with its output when it fails.</summary>
    public static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var error = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {p.ExitCode}: {error}");
    }
}
