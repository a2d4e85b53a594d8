using System;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Samples;

/// <summary>
/// What every sample tool does around its own work: --help, a clear refusal when not root, Ctrl+C (SIGINT) and
/// SIGTERM as a clean stop (the tool disposes its links, which detaches its programs), and kernel refusals as one
/// line saying what is missing instead of a stack trace.
/// </summary>
internal static partial class SampleHost
{
    /// <summary>Runs <paramref name="body"/> with a token that fires on Ctrl+C, SIGTERM or after --duration seconds;
    /// returns the exit code.</summary>
    public static int Run(string tool, string usage, string[] args, Func<string[], CancellationToken, int> body)
    {
        if (Array.Exists(args, a => a is "-h" or "--help"))
        {
            Console.WriteLine(usage);
            return 0;
        }
        if (geteuid() != 0)
        {
            Console.Error.WriteLine($"{tool}: needs root (loading BPF programs takes CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN): run it with sudo");
            return 1;
        }
        using var stop = new CancellationTokenSource();
        int duration = Array.IndexOf(args, "--duration");
        if (duration >= 0)
        {
            // Every tool takes --duration: stop after that many seconds, as Ctrl+C would.
            if (duration + 1 >= args.Length || !int.TryParse(args[duration + 1], out int seconds) || seconds <= 0)
            {
                Console.Error.WriteLine($"{tool}: --duration needs a positive number of seconds\n\n{usage}");
                return 2;
            }
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            args = args.Where((_, i) => i != duration && i != duration + 1).ToArray();
        }
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => { signal.Cancel = true; stop.Cancel(); });
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => { signal.Cancel = true; stop.Cancel(); });
        try
        {
            return body(args, stop.Token);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"{tool}: {e.Message}\n\n{usage}");
            return 2;
        }
        catch (BpfException e)
        {
            Console.Error.WriteLine($"{tool}: the kernel refused: {e.Message}");
            return 1;
        }
        catch (NotSupportedException e)
        {
            Console.Error.WriteLine($"{tool}: this kernel lacks what the tool needs: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is InvalidOperationException or System.IO.IOException)
        {
            // A missing tracepoint or tracefs, an interface that went away: the library's message says which.
            Console.Error.WriteLine($"{tool}: {e.Message}");
            return 1;
        }
    }

    /// <summary>Says which programs are attached, with their kernel ids (bpftool prog show id N), before the output starts.</summary>
    public static void Attached(params CSharpBpf.Loading.BpfProgram[] programs) =>
        Console.WriteLine("Attached " + string.Join(", ", programs.Select(p => $"{p.Name} (id {p.Info().Id})")) + ".");

    /// <summary>Waits for <paramref name="stop"/>, calling <paramref name="poll"/> whenever records may be ready.</summary>
    public static void PollUntil(CancellationToken stop, Func<int> poll, Func<int, bool> wait)
    {
        while (!stop.IsCancellationRequested)
            if (poll() == 0) wait(100);
        poll();
    }

    [LibraryImport("libc.so.6")]
    private static partial uint geteuid();
}
