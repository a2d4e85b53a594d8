using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace CSharpBpf.Testing;

/// <summary>One bpf_conformance .data file: its sections as the suite's README defines them.</summary>
public sealed record ConformanceCase(string Name, string Path, string? Asm, byte[] Memory, ulong? Result, byte[]? Raw, string? Error, bool HasMemory)
{
    /// <summary>Reads a .data file. Comments run from '#' to the end of the line; a line that starts with "--" opens a section.</summary>
    public static ConformanceCase Load(string path)
    {
        var sections = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var rawLine in File.ReadAllLines(path))
        {
            if (rawLine.StartsWith("--", StringComparison.Ordinal))
            {
                current = new List<string>();
                sections[rawLine.Substring(2).Trim()] = current;
                continue;
            }
            current?.Add(rawLine);
        }

        string? Text(string name) => sections.TryGetValue(name, out var lines) ? string.Join("\n", lines) : null;
        static string StripComments(string line) { int hash = line.IndexOf('#'); return hash >= 0 ? line[..hash] : line; }
        IEnumerable<string> Tokens(string name) => sections.TryGetValue(name, out var lines)
            ? lines.SelectMany(l => StripComments(l).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            : Enumerable.Empty<string>();

        byte[] memory = Tokens("mem").Select(t => byte.Parse(t, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        ulong? result = null;
        var resultToken = Tokens("result").FirstOrDefault();
        if (resultToken != null)
            result = resultToken.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.Parse(resultToken[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                : unchecked((ulong)long.Parse(resultToken, CultureInfo.InvariantCulture));

        byte[]? raw = null;
        if (sections.ContainsKey("raw"))
        {
            var bytes = new List<byte>();
            foreach (var token in Tokens("raw"))
            {
                if (token.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                    bytes.AddRange(BitConverter.GetBytes(ulong.Parse(token[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
                else
                    bytes.Add(byte.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture)); // negative/unused-*: one byte per token
            }
            raw = bytes.ToArray();
        }

        var error = Text("error");
        return new ConformanceCase(System.IO.Path.GetFileNameWithoutExtension(path), path, Text("asm"), memory, result, raw,
            error?.Trim(), sections.ContainsKey("mem"));
    }

    /// <summary>The 313 files of tests/ by name.</summary>
    public static IEnumerable<string> TestNames() => Names("tests");

    /// <summary>The files of negative/ by name.</summary>
    public static IEnumerable<string> NegativeNames() => Names("negative");

    /// <summary>Loads tests/NAME.data.</summary>
    public static ConformanceCase Test(string name) => Load(System.IO.Path.Combine(RepositoryPaths.Conformance, "tests", name + ".data"));

    /// <summary>Loads negative/NAME.data.</summary>
    public static ConformanceCase Negative(string name) => Load(System.IO.Path.Combine(RepositoryPaths.Conformance, "negative", name + ".data"));

    private static IEnumerable<string> Names(string folder) =>
        Directory.EnumerateFiles(System.IO.Path.Combine(RepositoryPaths.Conformance, folder), "*.data")
            .Select(p => System.IO.Path.GetFileNameWithoutExtension(p)!)
            .OrderBy(n => n, StringComparer.Ordinal);

    /// <summary>xunit member data: one row per file of tests/.</summary>
    public static TheoryDataRows TestRows => new(TestNames());

    /// <summary>xunit member data: one row per file of negative/.</summary>
    public static TheoryDataRows NegativeRows => new(NegativeNames());
}

/// <summary>Theory rows of a single string, so each conformance file is its own test case.</summary>
public sealed class TheoryDataRows : Xunit.TheoryData<string>
{
    /// <summary>Creates one row per name.</summary>
    public TheoryDataRows(IEnumerable<string> names) { foreach (var n in names) Add(n); }
}
