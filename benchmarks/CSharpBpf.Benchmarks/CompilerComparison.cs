extern alias generator;

using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using CSharpBpf.Benchmarks.Paired;
using CSharpBpf.Loading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using BpfObjectGenerator = generator::CSharpBpf.Generator.BpfObjectGenerator;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// Our compiler against clang -O2 on the paired corpus (Paired/Paired.cs and Paired/paired.bpf.c, the same
/// eight programs in both languages). For each program, measured in this one run: instructions loaded,
/// instructions the verifier processed (from its log), and ns per packet from BPF_PROG_TEST_RUN with
/// repeat; then the generator's time for one object on a warm incremental edit. Ratios are ours / clang's.
/// </summary>
public static class CompilerComparison
{
    private const uint Repeat = 200_000;

    public static int Run(string? keepObjects)
    {
        string directory = Directory.CreateTempSubdirectory("csharpbpf-paired-").FullName;
        try
        {
            string clangObject = Path.Combine(directory, "paired.bpf.o");
            Exec("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c", Path.Combine(AppContext.BaseDirectory, "Paired", "paired.bpf.c"), "-o", clangObject);

            using var ours = BpfObjectFile.Open(CSharpBpf.Benchmarks.Paired.Paired.ObjectFile, "paired").Load(captureVerifierLog: true);
            using var clang = BpfObjectFile.Open(clangObject).Load(captureVerifierLog: true);
            foreach (var loaded in new[] { ours, clang })
                new BpfMap<uint, ulong>(loaded.Map("blocked")).Update(0x0a000001, 0);

            var rows = new List<(string Name, double[] Ours, double[] Clang)>();
            foreach (var name in ours.Programs.Keys.OrderBy(n => n, StringComparer.Ordinal))
            {
                var packet = PacketFor(name);
                rows.Add((name, Measure(ours.Program(name), packet), Measure(clang.Program(name), packet)));
            }
            PrintTable(rows);
            Console.WriteLine();
            Console.WriteLine($"generator, warm incremental edit of one [BpfObject] (8 programs): median {GeneratorEditMilliseconds():F1} ms over 20 edits");
            if (keepObjects != null)
            {
                Directory.CreateDirectory(keepObjects);
                File.Copy(clangObject, Path.Combine(keepObjects, "paired.clang.o"), overwrite: true);
                File.WriteAllBytes(Path.Combine(keepObjects, "paired.csharp.o"), CSharpBpf.Benchmarks.Paired.Paired.ObjectFile);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double[] Measure(BpfProgram program, byte[] packet)
    {
        var processed = Regex.Match(program.VerifierLog ?? "", @"processed (\d+) insns");
        program.TestRun(packet, 1000); // warm up
        var durations = Enumerable.Range(0, 5).Select(_ => (double)program.TestRun(packet, Repeat).DurationNanoseconds).OrderBy(d => d).ToArray();
        return new[] { program.InstructionCount, processed.Success ? double.Parse(processed.Groups[1].Value) : double.NaN, durations[2] };
    }

    private static void PrintTable(List<(string Name, double[] Ours, double[] Clang)> rows)
    {
        string[] metrics = { "instructions", "verifier processed", "ns/packet" };
        Console.WriteLine("| program | " + string.Join(" | ", metrics.Select(m => $"{m} us / clang = ratio")) + " |");
        Console.WriteLine("|---|" + string.Concat(metrics.Select(_ => "---:|")));
        foreach (var (name, us, them) in rows)
            Console.WriteLine($"| {name} | " + string.Join(" | ", Enumerable.Range(0, 3).Select(i => $"{us[i]:0.#} / {them[i]:0.#} = {us[i] / them[i]:F2}")) + " |");
        var geomeans = Enumerable.Range(0, 3).Select(i => Math.Exp(rows.Average(r => Math.Log(r.Ours[i] / r.Clang[i])))).ToArray();
        Console.WriteLine("| **geometric mean** | " + string.Join(" | ", geomeans.Select(g => $"**{g:F2}**")) + " |");
    }

    private static double GeneratorEditMilliseconds()
    {
        string source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Paired", "Paired.cs"));
        var parse = new CSharpParseOptions(LanguageVersion.Preview);
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal))
            .Append(typeof(XdpContext).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var tree = CSharpSyntaxTree.ParseText(source, parse, path: "Paired.cs");
        var compilation = CSharpCompilation.Create("Paired", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new BpfObjectGenerator().AsSourceGenerator() }, parseOptions: parse);
        driver = driver.RunGenerators(compilation);
        var times = new List<double>();
        for (int i = 0; i < 21; i++)
        {
            // Each edit changes a constant inside a program, so the object compiles again.
            var edited = CSharpSyntaxTree.ParseText(source.Replace("== 22", $"== {23 + i}"), parse, path: "Paired.cs");
            compilation = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(), edited);
            var watch = Stopwatch.StartNew();
            driver = driver.RunGenerators(compilation);
            watch.Stop();
            if (driver.GetRunResult().GeneratedTrees.Length == 0) throw new InvalidOperationException($"edit {i} did not compile: the generator produced no object");
            if (i > 0) times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times.OrderBy(t => t).ElementAt(times.Count / 2);
    }

    private static byte[] PacketFor(string program) => program switch
    {
        "drop_ssh" => Frame(protocol: 6, destinationPort: 22),
        "echo_reply" => Frame(protocol: 1, destinationPort: 0, icmpEcho: true),
        "mark_udp" => Frame(protocol: 17, destinationPort: 53),
        _ => Frame(protocol: 17, destinationPort: 4242),
    };

    private static byte[] Frame(byte protocol, ushort destinationPort, bool icmpEcho = false)
    {
        var frame = new byte[14 + 20 + 20 + 22];
        for (int i = 0; i < 6; i++) { frame[i] = (byte)(2 + i); frame[6 + i] = (byte)(0x12 + i); }
        frame[12] = 0x08;
        var ip = frame.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)(frame.Length - 14));
        ip[8] = 64;
        ip[9] = protocol;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], 0x0a000001);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], 0x0a000063);
        var l4 = ip[20..];
        if (icmpEcho) l4[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(l4, icmpEcho ? (ushort)0x0800 : (ushort)40000);
        BinaryPrimitives.WriteUInt16BigEndian(l4[2..], destinationPort);
        l4[12] = 0x50;
        return frame;
    }

    private static void Exec(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {errors}");
    }
}
