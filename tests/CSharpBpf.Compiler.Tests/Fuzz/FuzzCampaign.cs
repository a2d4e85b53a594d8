using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CSharpBpf.Compiler.Tests.Fuzz;

/// <summary>The figures of a fuzzing run and its failures (each with its program and a reduced version).</summary>
public sealed class FuzzReport
{
    public int Programs { get; init; }
    public Dictionary<FuzzOutcome, int> Counts { get; } = Enum.GetValues<FuzzOutcome>().ToDictionary(o => o, _ => 0);
    public Dictionary<string, int> RejectedBy { get; } = new();
    public int VmRuns { get; set; }
    public List<(FuzzResult Result, FuzzProgram? Reduced)> Failures { get; } = new();
    public List<FuzzResult> RejectedExamples { get; } = new();

    public int FalseClean => Counts[FuzzOutcome.FalseClean];
    public int Mismatches => Counts[FuzzOutcome.Mismatch];
    public int GeneratorErrors => Counts[FuzzOutcome.CompilerError] + Counts[FuzzOutcome.InvalidProgram];

    public string Summary() =>
        $"programs {Programs}: agreed {Counts[FuzzOutcome.Agreed]} (VM too: {VmRuns}), rejected {Counts[FuzzOutcome.Rejected]}" +
        (RejectedBy.Count == 0 ? "" : $" ({string.Join(", ", RejectedBy.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}"))})") +
        $", false clean {FalseClean}, mismatches {Mismatches}, generator errors {GeneratorErrors}" +
        $" (compiler {Counts[FuzzOutcome.CompilerError]}, invalid programs {Counts[FuzzOutcome.InvalidProgram]})";

    public string Describe()
    {
        var s = new StringBuilder(Summary()).AppendLine();
        foreach (var (result, reduced) in Failures)
        {
            s.AppendLine().AppendLine($"==== {result.Program.Name}: {result.Outcome}").AppendLine(result.Detail);
            if (reduced != null) s.AppendLine("---- reduced:").AppendLine(reduced.Source);
            s.AppendLine("---- program:").AppendLine(result.Program.Source);
        }
        foreach (var rejected in RejectedExamples) s.AppendLine().AppendLine($"==== rejected {rejected.Program.Name}:").AppendLine(rejected.Detail);
        return s.ToString();
    }
}

/// <summary>Generates <c>count</c> programs from a seed, runs them in batches, and reduces the first failures.</summary>
public static class FuzzCampaign
{
    public static FuzzReport Run(int seed, int count, int batchSize = 60, int reduce = 1, Action<string>? progress = null)
    {
        var generator = new ProgramGenerator(seed);
        var frames = Frames(seed);
        var report = new FuzzReport { Programs = count };
        for (int start = 0; start < count; start += batchSize)
        {
            var batch = Enumerable.Range(start, Math.Min(batchSize, count - start)).Select(i => generator.Next($"P{i}")).ToList();
            foreach (var result in DifferentialRunner.Run(batch, frames))
            {
                report.Counts[result.Outcome]++;
                if (result.Outcome == FuzzOutcome.Agreed && result.Detail == DifferentialRunner.AllThree) report.VmRuns++;
                if (result.Outcome == FuzzOutcome.Rejected && report.RejectedExamples.Count < 10) report.RejectedExamples.Add(result);
                if (result.Outcome == FuzzOutcome.Rejected)
                    foreach (var id in result.Detail.Split('\n').Select(IdOf).Where(id => id != null).Distinct())
                        report.RejectedBy[id!] = report.RejectedBy.GetValueOrDefault(id!) + 1;
                if (result.Outcome is FuzzOutcome.Agreed or FuzzOutcome.Rejected) continue;
                bool reduceIt = report.Failures.Count(f => f.Reduced != null) < reduce && result.Outcome != FuzzOutcome.InvalidProgram;
                report.Failures.Add((result, reduceIt ? Reducer.Reduce(result.Program, result.Outcome, frames) : null));
            }
            progress?.Invoke(report.Summary());
        }
        return report;
    }

    private static string? IdOf(string diagnostic)
    {
        int at = diagnostic.IndexOf("BPF", StringComparison.Ordinal);
        return at < 0 || at + 7 > diagnostic.Length ? null : diagnostic.Substring(at, 7);
    }

    /// <summary>Frames of every length the programs branch on: too short for their reads, just long enough, and longer;
    /// random bytes, all zeros and all ones.</summary>
    public static List<byte[]> Frames(int seed)
    {
        var random = new Random(seed);
        var frames = new List<byte[]>();
        foreach (int length in new[] { 20, 30, 34, 48, 64, 64, 90, 128 })
        {
            var frame = new byte[length];
            random.NextBytes(frame);
            frames.Add(frame);
        }
        frames.Add(new byte[64]);
        frames.Add(Enumerable.Repeat((byte)0xff, 64).ToArray());
        return frames;
    }
}
