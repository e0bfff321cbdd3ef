using System.Runtime.ExceptionServices;

namespace Router.Galleries.Index;

/// <summary>
/// The threads that share a large gallery's first-stage scan with the searching thread: one
/// per core beyond the first, started once and parked between searches, so that a search
/// allocates nothing for its parallelism (no tasks, closures or delegates). One search uses
/// them at a time; a search that finds them busy runs every part itself, which is what the
/// cores have time for then anyway.
/// </summary>
internal static class ScanWorkers
{
    private static readonly int Helpers = Math.Max(0, Environment.ProcessorCount - 1);
    private static readonly SemaphoreSlim[] Starts = new SemaphoreSlim[Helpers];
    private static readonly CountdownEvent Done = new(1);
    private static ScanJob? _job;
    private static int _busy;

    static ScanWorkers()
    {
        for (int i = 0; i < Helpers; i++)
        {
            Starts[i] = new SemaphoreSlim(0);
            int part = i + 1;
            new Thread(() => Loop(part)) { IsBackground = true, Name = "gallery-scan-" + part }.Start();
        }
    }

    /// <summary>Parts a scan is split into: one per core.</summary>
    public static int Parts => Helpers + 1;

    /// <summary>Runs every part of <paramref name="stage"/> and returns when all are done; rethrows the first part's failure.</summary>
    public static void Run(ScanJob stage)
    {
        if (Helpers == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (int p = 0; p < stage.PartCount; p++) stage.RunPart(p);
        }
        else
        {
            try
            {
                _job = stage;
                Done.Reset(Helpers);
                for (int i = 0; i < Helpers; i++) Starts[i].Release();
                stage.RunPart(0);
                Done.Wait();
            }
            finally
            {
                _job = null;
                Volatile.Write(ref _busy, 0);
            }
        }
        if (stage.Failure is { } failure)
        {
            stage.Failure = null;
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    private static void Loop(int part)
    {
        while (true)
        {
            Starts[part - 1].Wait();
            try { _job!.RunPart(part); }
            finally { Done.Signal(); }
        }
    }
}

/// <summary>A scan split into parts that run on <see cref="ScanWorkers"/>; a part records its failure instead of throwing.</summary>
internal abstract class ScanJob
{
    public int PartCount { get; protected set; } = ScanWorkers.Parts;
    public Exception? Failure { get; set; }

    public void RunPart(int part)
    {
        try { Run(part); }
        catch (Exception e) { Failure ??= e; }
    }

    protected abstract void Run(int part);
}
