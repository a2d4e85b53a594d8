using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CSharpBpf.Links;
using CSharpBpf.Loading;
using CSharpBpf.RingBuffers;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// The user-side library against bpftool, in one run: the time to load an object and attach its XDP
/// program with CSharpBpf, against `bpftool prog loadall` of the same object (load only, as a user runs
/// it); and ring-buffer events consumed per second from a program writing one record per run.
/// </summary>
public static class LoaderComparison
{
    private const string Interface = "csbpfbench0";

    public static int Run()
    {
        string directory = Directory.CreateTempSubdirectory("csharpbpf-loader-").FullName;
        Exec("ip", "link", "add", Interface, "type", "veth", "peer", "name", Interface + "p");
        try
        {
            string obj = Path.Combine(directory, "links.bpf.o");
            Exec("clang", "-O2", "-g", "-target", "bpf", "-D__TARGET_ARCH_x86", "-I/usr/include/x86_64-linux-gnu", "-c",
                Path.Combine(AppContext.BaseDirectory, "Fixtures", "links.bpf.c"), "-o", obj);

            double ours = Median(30, () =>
            {
                using var loaded = BpfObjectFile.Open(obj).Load();
                using var link = loaded.Program("xdp_drop_icmp").AttachXdp(Interface, XdpMode.Generic);
            });
            string pin = "/sys/fs/bpf/csbpf-bench-" + Environment.ProcessId;
            double bpftool = Median(30, () =>
            {
                Exec("bpftool", "prog", "loadall", obj, pin);
                Directory.Delete(pin, recursive: true);
            });

            Console.WriteLine("| measure | CSharpBpf | bpftool | ratio |");
            Console.WriteLine("|---|---:|---:|---:|");
            var spec = BpfObjectFile.Open(obj).Spec;
            Console.WriteLine($"| load {Path.GetFileName(obj)} ({spec.Functions.Count(f => !f.IsSubprogram)} programs, {spec.Maps.Count} maps + global data) + attach XDP, ms | {ours:F2} | {bpftool:F2} (loadall, no attach) | {ours / bpftool:F2} |");
            Console.WriteLine($"| ring buffer, events consumed per second | {RingBufferEventsPerSecond(obj):N0} | | |");
            return 0;
        }
        finally
        {
            Exec("ip", "link", "del", Interface);
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double RingBufferEventsPerSecond(string obj)
    {
        using var loaded = BpfObjectFile.Open(obj).Load();
        using var reader = new RingBufferReader(loaded.Map("events"));
        var program = loaded.Program("xdp_sequence");
        long consumed = 0;
        var drain = new Stopwatch();
        for (int round = 0; round < 10; round++)
        {
            program.TestRun(new byte[64], 200_000); // 200,000 records of 16 bytes fit the 4 MiB buffer
            drain.Start();
            while (reader.Poll(record => consumed += record.Length) > 0) { }
            drain.Stop();
        }
        return 2_000_000 / drain.Elapsed.TotalSeconds;
    }

    private static double Median(int runs, Action action)
    {
        action();
        var times = Enumerable.Range(0, runs).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            action();
            return watch.Elapsed.TotalMilliseconds;
        }).OrderBy(t => t).ToArray();
        return times[runs / 2];
    }

    private static void Exec(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {errors}");
    }
}
