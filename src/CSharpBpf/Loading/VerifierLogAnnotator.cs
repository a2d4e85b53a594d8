using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CSharpBpf.Bytecode.Btf;

namespace CSharpBpf.Loading;

/// <summary>Puts the source line (C# or C, from the object's line_info) above the verifier log's lines for
/// each instruction, so a refusal reads against the code that was written rather than register states alone.</summary>
public static class VerifierLogAnnotator
{
    private static readonly Regex InstructionLine = new(@"^(\d+): ", RegexOptions.Compiled);
    // The kernel's own "; text @ file:line" lines (from the line_info we load): ours say the same, in one format.
    private static readonly Regex KernelSourceLine = new(@"^; .* @ \S+:\d+$", RegexOptions.Compiled);

    /// <summary>The log with "; source [file:line]" before the first log line of each new source line.</summary>
    public static string Annotate(string log, SortedDictionary<int, LineInfo> lines)
    {
        if (lines.Count == 0) return log;
        var keys = lines.Keys.ToArray();
        var output = new StringBuilder();
        LineInfo? previous = null;
        foreach (var text in log.Split('\n'))
        {
            if (KernelSourceLine.IsMatch(text)) continue;
            var match = InstructionLine.Match(text);
            if (match.Success)
            {
                int slot = int.Parse(match.Groups[1].Value);
                int index = System.Array.BinarySearch(keys, slot);
                if (index < 0) index = ~index - 1;
                if (index >= 0)
                {
                    var line = lines[keys[index]];
                    if (previous != line) output.Append("; ").Append(line.LineText.Trim()).Append(" [").Append(line.FileName).Append(':').Append(line.Line).Append("]\n");
                    previous = line;
                }
            }
            output.Append(text).Append('\n');
        }
        return output.ToString().TrimEnd('\n');
    }
}
