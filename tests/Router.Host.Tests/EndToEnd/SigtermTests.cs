using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Router.Host.Tests.Plugins;
using Router.Tests.Common.Servers;
using Router.Tests.Common.Video;
using Xunit;

namespace Router.Host.Tests.EndToEnd;

/// <summary>
/// Issue 12, items 5 and 6, on a real `router run` process: SIGTERM while a slow plugin is
/// routing a camera's faces ends the process within the configured bound, without an unhandled
/// exception ("hosted services failed to stop"), with the unrouted events journaled, although the
/// plugin started a foreground thread that never ends.
/// </summary>
public sealed class SigtermTests
{
    [Fact]
    public async Task Sigterm_with_a_slow_plugin_and_a_foreground_thread_ends_the_process_cleanly_and_journals()
    {
        var probe = await ProbePluginBuild.OutputOfAsync("v1");
        var root = RouterTestHost.NewRoot();
        var data = Path.Combine(root, "data");
        var plugins = Path.Combine(root, "plugins");
        Directory.CreateDirectory(data);
        ProbePluginBuild.CopyTo(probe, plugins, "probe");
        // sample1 holds 3 faces: 3 events when the single-pass clip ends.
        var clip = Path.Combine(data, "still.mp4");
        File.Copy(await TestVideos.StillAsync("sample1.jpg", 2), clip);
        var port = FreePort.Next();
        string[] args =
        [
            "run", $"--urls=http://127.0.0.1:{port}", $"--DataDir={data}", "--Demo:Enabled=false",
            $"--Plugins:Directory={plugins}", $"--Plugins:ShadowDirectory={Path.Combine(root, "shadow")}", "--Plugins:HotReload=false",
            "--Plugins:Items:watchlist:Enabled=false", "--Plugins:Items:visitors:Enabled=false", "--Plugins:Items:eventlog:Enabled=false",
            $"--Plugins:Items:probe:Assembly={ProbePluginBuild.AssemblyName}", "--Plugins:Items:probe:Settings:features=Detection",
            "--Plugins:Items:probe:Settings:delay_ms=4000", "--Plugins:Items:probe:Settings:foreground_thread=true",
            "--Plugins:ProcessTimeout=00:01:00", "--Events:Workers=1", "--Events:MaxInFlight=1", "--Events:DrainTimeout=00:00:01", "--Shutdown:Timeout=00:00:15",
            $"--Cameras:still:Url={clip}", "--Cameras:still:Settings:single_pass=true",
        ];
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "router.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        var output = new StringBuilder();
        using var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(2) };
            // Wait until the plugin is busy with the first face (the other two queued behind it).
            Assert.True(await RouterTestHost.WaitForAsync(async () =>
            {
                try
                {
                    var plugins = JsonDocument.Parse(await http.GetStringAsync("v1/plugins")).RootElement;
                    return plugins.GetProperty("router").GetProperty("in_flight").GetInt32() > 0;
                }
                catch (HttpRequestException) { return false; }
                catch (TaskCanceledException) { return false; }
            }, TimeSpan.FromSeconds(90)), "no face reached the plugin: " + Text(output));
            await Task.Delay(500);

            var watch = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
            var exited = await Task.Run(() => process.WaitForExit(TimeSpan.FromSeconds(30)));
            Assert.True(exited, "the process is still alive 30 s after SIGTERM (the plugin's foreground thread?): " + Text(output));
            process.WaitForExit(); // the output to its end
            var log = Text(output);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"stop took {watch.Elapsed}: {log}");
            Assert.Equal(0, process.ExitCode);
            Assert.DoesNotContain("Unhandled exception", log);
            Assert.DoesNotContain("AggregateException", log);
            Assert.DoesNotContain("failed to stop", log);
            Assert.Contains("journaled in", log);
            var journal = Path.Combine(data, "events-journal.jsonl");
            Assert.True(File.Exists(journal), log);
            Assert.InRange(File.ReadAllLines(journal).Count(l => l.Length > 0), 1, 3);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}
