using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Bytecode.Classic.Filters;
using CSharpBpf.Classic;
using CSharpBpf.Testing;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// Classic BPF against libpcap, in one run, over the tests' expression corpus and a seeded corpus of 2,000 frames:
/// instructions of our compiled filters against <c>tcpdump -d</c>'s (geometric mean of the per-expression ratio), and
/// nanoseconds per filter run of our interpreter against libpcap's <c>pcap_offline_filter</c> (a C harness built here).
/// </summary>
public static class ClassicComparison
{
    private const int Rounds = 20;

    public static int Run()
    {
        string directory = Directory.CreateTempSubdirectory("csharpbpf-classic-").FullName;
        try
        {
            string corpus = Path.Combine(AppContext.BaseDirectory, "Classic", "expressions.txt");
            var expressions = File.ReadAllLines(corpus).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
            var frames = FrameCorpus.Generate(2000, seed: 20261201);
            string pcap = Path.Combine(directory, "frames.pcap");
            using (var writer = new PcapWriter(File.Create(pcap)))
                for (int i = 0; i < frames.Count; i++) writer.Write(DateTimeOffset.UnixEpoch.AddSeconds(i), frames[i], frames[i].Length);

            double logRatios = 0;
            int ours = 0, theirs = 0, smaller = 0, larger = 0;
            var programs = expressions.Select(e => PacketFilterCompiler.Compile(e)).ToList();
            for (int e = 0; e < expressions.Count; e++)
            {
                int libpcap = ClassicProgram.Parse(Exec("tcpdump", "-ddd", expressions[e])).Count;
                ours += programs[e].Count;
                theirs += libpcap;
                logRatios += Math.Log((double)programs[e].Count / libpcap);
                if (programs[e].Count < libpcap) smaller++;
                if (programs[e].Count > libpcap) larger++;
            }

            string harness = Path.Combine(directory, "offline_filter");
            Exec("clang", "-O2", Path.Combine(AppContext.BaseDirectory, "Classic", "offline_filter.c"), "-lpcap", "-o", harness);
            var reference = Exec(harness, corpus, pcap, Rounds.ToString()).Split(' ').Select(long.Parse).ToArray();

            var packets = frames.Select(f => new ClassicPacket(f) { NetworkHeaderOffset = 14 }).ToList();
            var interpreters = programs.Select(p => new ClassicInterpreter(p)).ToList();
            long matched = 0;
            foreach (var interpreter in interpreters) foreach (var packet in packets) matched += interpreter.Run(packet) != 0 ? 1 : 0; // warm-up
            matched = 0;
            var clock = Stopwatch.StartNew();
            foreach (var interpreter in interpreters)
                for (int r = 0; r < Rounds; r++)
                    foreach (var packet in packets) matched += interpreter.Run(packet) != 0 ? 1 : 0;
            clock.Stop();
            long runs = (long)interpreters.Count * Rounds * packets.Count;
            double oursNs = clock.Elapsed.TotalNanoseconds / runs, libpcapNs = (double)reference[1] / reference[0];

            Console.WriteLine($"{expressions.Count} expressions, {frames.Count} frames ({Rounds} rounds)");
            Console.WriteLine("| measure | CSharpBpf | libpcap | ratio |");
            Console.WriteLine("|---|---:|---:|---:|");
            Console.WriteLine($"| cBPF instructions, total | {ours} | {theirs} | {(double)ours / theirs:F3} |");
            Console.WriteLine($"| cBPF instructions, geometric mean of per-expression ratios ({smaller} smaller, {larger} larger) | | | {Math.Exp(logRatios / expressions.Count):F3} |");
            Console.WriteLine($"| ns per filter run (interpreter vs pcap_offline_filter) | {oursNs:F1} | {libpcapNs:F1} | {oursNs / libpcapNs:F2} |");
            Console.WriteLine($"| frames matched (the two must agree) | {matched} | {reference[2]} | |");
            return matched == reference[2] ? 0 : 1;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Exec(string file, params string[] args)
    {
        var result = ExternalTool.Run(file, args);
        return result.EnsureSuccess().Stdout.Trim();
    }
}
