using System;
using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Compiler.Tests.Fuzz;

/// <summary>
/// Shrinks a failing program: removes whole statements (a line, or a header with its braced block and else
/// branch) and unwraps blocks, one at a time, keeping each change under which the program still fails the
/// same way, until no change helps or the time budget is spent (a refused program can take the verifier seconds).
/// </summary>
public static class Reducer
{
    public static FuzzProgram Reduce(FuzzProgram program, FuzzOutcome outcome, IReadOnlyList<byte[]> frames, int seconds = 60)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool Budget() => clock.Elapsed.TotalSeconds < seconds;
        var lines = program.Source.Split('\n').ToList();
        int body = lines.FindIndex(l => l.Contains("struct Pair"));
        for (bool progress = true; progress && Budget();)
        {
            progress = false;
            for (int i = lines.Count - 1; i > body && Budget(); i--)
            {
                foreach (var candidate in Candidates(lines, i))
                {
                    var trial = program with { Source = string.Join("\n", candidate) };
                    if (DifferentialRunner.Run(new[] { trial }, frames)[0].Outcome != outcome) continue;
                    lines = candidate;
                    program = trial;
                    progress = true;
                    break;
                }
            }
        }
        return program;
    }

    // Removing the statement that starts at line i, or keeping only its block's body.
    private static IEnumerable<List<string>> Candidates(List<string> lines, int i)
    {
        string line = lines[i].Trim();
        if (line is "{" or "}" or "" or "else" or "break;" || line.StartsWith("return", StringComparison.Ordinal)
            || line.StartsWith("public static", StringComparison.Ordinal) || line.StartsWith("static", StringComparison.Ordinal)
            || line.StartsWith("[", StringComparison.Ordinal))
            yield break;
        int end = i;
        if (i + 1 < lines.Count && lines[i + 1].Trim() == "{")
        {
            end = Matching(lines, i + 1);
            while (end + 1 < lines.Count && lines[end + 1].Trim() == "else" && lines[end + 2].Trim() == "{") end = Matching(lines, end + 2);
            if (line.StartsWith("case", StringComparison.Ordinal) || line.StartsWith("default", StringComparison.Ordinal)) end++; // its break
        }
        var removed = new List<string>(lines);
        removed.RemoveRange(i, end - i + 1);
        yield return removed;
        if (end > i && !line.StartsWith("case", StringComparison.Ordinal) && !line.StartsWith("default", StringComparison.Ordinal))
        {
            int close = Matching(lines, i + 1);
            var unwrapped = new List<string>(lines);
            unwrapped.RemoveRange(close, end - close + 1);
            unwrapped.RemoveRange(i, 2);
            yield return unwrapped;
        }
    }

    private static int Matching(List<string> lines, int open)
    {
        int depth = 0;
        for (int j = open; j < lines.Count; j++)
        {
            string t = lines[j].Trim();
            if (t == "{") depth++;
            else if (t == "}" && --depth == 0) return j;
        }
        return lines.Count - 1;
    }
}
