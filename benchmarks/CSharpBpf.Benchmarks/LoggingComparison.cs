using System;
using System.Linq;
using System.Runtime.InteropServices;
using CSharpBpf.Tracing.Tests.Objects;
using CSharpBpf.Loading;
using CSharpBpf.Syscalls;
using Microsoft.Extensions.Logging.Abstractions;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// BpfLog against Bpf.Printk for the same message with three values, in one run: the instructions the log line adds to
/// its program (compiled, and as the kernel translated it), and the kernel's own measure of the time per program run
/// (BPF_ENABLE_STATS) while this process makes getppid calls that each log once.
/// </summary>
public static partial class LoggingComparison
{
    private const int Calls = 200_000;

    public static int Run()
    {
        var spec = LoggingProbes.Open();
        spec.TargetPid = (uint)Environment.ProcessId;
        var functions = spec.File.Spec.Functions;
        int Slots(string name) => functions.Single(f => f.Name == name).Instructions.Sum(i => i.SlotCount);
        int emitter = functions.Where(f => f.Name.StartsWith("__bpf_log_emit", StringComparison.Ordinal)).Sum(f => f.Instructions.Sum(i => i.SlotCount));
        using var loaded = spec.Load();
        using var statistics = BpfSyscall.EnableStatistics();

        var rows = new (string Name, BpfProgram Program, int Line)[]
        {
            ("none (baseline)", loaded.Baseline, 0),
            ("BpfLog.Info", loaded.WithBpfLog, Slots("WithBpfLog") - Slots("Baseline")),
            ("Bpf.Printk", loaded.WithPrintk, Slots("WithPrintk") - Slots("Baseline")),
        };
        Console.WriteLine($"One message with 3 values, logged on each of {Calls:N0} getppid calls (raw tracepoint sys_enter).");
        Console.WriteLine($"BpfLog's records are written by a shared subprogram of {emitter} instructions, counted in its program's total.");
        Console.WriteLine();
        Console.WriteLine("| log line        | line's instructions | program instructions (xlated) | ns per program run |");
        Console.WriteLine("|-----------------|--------------------:|------------------------------:|-------------------:|");
        double? printkNs = null, logNs = null;
        foreach (var (name, program, line) in rows)
        {
            var before = program.Info();
            using (var link = program.Attach())
            {
                for (int i = 0; i < Calls; i++)
                {
                    getppid();
                    if (i % 1000 == 0) loaded.Log.Poll(NullLogger.Instance); // keep the log ring from filling
                }
            }
            loaded.Log.Poll(NullLogger.Instance);
            var after = program.Info();
            double ns = (double)(after.RunTimeNanoseconds - before.RunTimeNanoseconds) / Math.Max(1, after.RunCount - before.RunCount);
            if (program == loaded.WithPrintk) printkNs = ns;
            if (program == loaded.WithBpfLog) logNs = ns;
            Console.WriteLine($"| {name,-15} | {line,19} | {after.Instructions,29} | {ns,18:F0} |");
        }
        Console.WriteLine();
        Console.WriteLine($"Bpf.Printk / BpfLog time per run: {printkNs / logNs:F1}×");
        return 0;
    }

    [LibraryImport("libc.so.6")]
    private static partial int getppid();
}
