using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using CSharpBpf.Loading;

namespace CSharpBpf.Benchmarks;

/// <summary>
/// Verifier work per kernel, as veristat reports it: the instructions each kernel's verifier processed for the paired
/// corpus (ours and clang -O2's objects of the same eight programs), on this kernel and on every kernel of the matrix
/// (scripts/test-kernels.sh's guests of Linux 6.1 and 6.12), so a program that costs an older verifier more shows.
/// `verifier-cost` runs it all and prints the table; `verifier-cost --this-kernel CLANG_OBJECT` is what each guest runs.
/// </summary>
public static class VerifierCost
{
    private const string RowTag = "verifier-cost\t";

    public static int Run(string[] args)
    {
        if (args.Length == 3 && args[1] == "--this-kernel")
        {
            foreach (var (program, ours, clang) in Measure(args[2])) Console.WriteLine($"{RowTag}{program}\t{ours}\t{clang}");
            return 0;
        }

        string root = RepositoryRoot();
        string directory = Directory.CreateTempSubdirectory("csharpbpf-verifier-cost-").FullName;
        try
        {
            // The guests see this machine's files, so they load the same clang object.
            string clangObject = Path.Combine(directory, "paired.bpf.o");
            Exec(null, "clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c",
                Path.Combine(AppContext.BaseDirectory, "Paired", "paired.bpf.c"), "-o", clangObject);

            var kernels = new List<(string Kernel, Dictionary<string, (long Ours, long Clang)> Rows)>
            {
                (Environment.OSVersion.Version.ToString(2) + " (host)", Measure(clangObject).ToDictionary(r => r.Program, r => (r.Ours, r.Clang))),
            };
            string[] guests = Exec(root, "bash", "scripts/test-kernels.sh", "--kernels").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            // One guest per kernel, side by side: TCG runs each on one core.
            var results = guests.Select(dir => Task.Run(() => Exec(root, "bash", "scripts/run-on-kernel.sh", dir, "--", "dotnet",
                typeof(VerifierCost).Assembly.Location, "verifier-cost", "--this-kernel", clangObject))).ToArray();
            for (int i = 0; i < guests.Length; i++)
            {
                var rows = results[i].Result.Split('\n').Where(l => l.StartsWith(RowTag, StringComparison.Ordinal))
                    .Select(l => l.Split('\t')).ToDictionary(f => f[1], f => (long.Parse(f[2]), long.Parse(f[3])));
                kernels.Add((Regex.Match(Path.GetFileName(guests[i]), @"^\d+\.\d+").Value, rows));
            }
            kernels.Sort((a, b) => new Version(a.Kernel.Split(' ')[0]).CompareTo(new Version(b.Kernel.Split(' ')[0])));

            Console.WriteLine("verifier processed, us / clang");
            Console.WriteLine("| program | " + string.Join(" | ", kernels.Select(k => k.Kernel)) + " |");
            Console.WriteLine("|---|" + string.Concat(kernels.Select(_ => "---:|")));
            foreach (string program in kernels[0].Rows.Keys.OrderBy(p => p, StringComparer.Ordinal))
                Console.WriteLine($"| {program} | " + string.Join(" | ", kernels.Select(k =>
                    k.Rows.TryGetValue(program, out var r) ? $"{r.Ours} / {r.Clang}" : "not loaded")) + " |");
            Console.WriteLine("| **total** | " + string.Join(" | ", kernels.Select(k => $"{k.Rows.Values.Sum(r => r.Ours)} / {k.Rows.Values.Sum(r => r.Clang)}")) + " |");
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Loads both objects here; per program, the instructions the verifier processed (from its log).</summary>
    private static IEnumerable<(string Program, long Ours, long Clang)> Measure(string clangObject)
    {
        using var ours = BpfObjectFile.Open(Paired.Paired.ObjectFile, "paired").Load(captureVerifierLog: true);
        using var clang = BpfObjectFile.Open(clangObject).Load(captureVerifierLog: true);
        return ours.Programs.Keys.OrderBy(n => n, StringComparer.Ordinal)
            .Select(name => (name, Processed(ours.Program(name)), Processed(clang.Program(name)))).ToList();
    }

    private static long Processed(BpfProgram program)
    {
        var m = Regex.Match(program.VerifierLog ?? "", @"processed (\d+) insns");
        return m.Success ? long.Parse(m.Groups[1].Value) : throw new InvalidOperationException($"{program.Name}: no 'processed N insns' in the verifier log");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CSharpBpf.sln"))) return dir.FullName;
        throw new InvalidOperationException("run from the repository's build output (benchmarks/CSharpBpf.Benchmarks/bin/…)");
    }

    private static string Exec(string? workingDirectory, string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? "" };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {errors.Result}{output}");
        return output;
    }
}
