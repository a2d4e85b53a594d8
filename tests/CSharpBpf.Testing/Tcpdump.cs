using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CSharpBpf.Testing;

/// <summary>tcpdump (libpcap's pcap_compile) as the reference for classic BPF, and the corpus of filter expressions
/// the tests compile with it (tests/fixtures/classic/expressions.txt).</summary>
public static class Tcpdump
{
    /// <summary>Every expression of the corpus, in file order.</summary>
    public static IReadOnlyList<string> Expressions { get; } = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "classic", "expressions.txt"))
        .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();

    /// <summary>What <c>tcpdump -d</c>, <c>-dd</c> and <c>-ddd</c> print for <paramref name="expression"/>: compiled for
    /// an Ethernet capture file when <paramref name="device"/> is null, else for that live device (on Linux libpcap
    /// then uses ancillary loads, e.g. for VLAN tags the kernel has already stripped).</summary>
    public static (string Listing, string CArray, string Decimal) Compile(string expression, string? device = null) =>
        Compiled.GetOrAdd((expression, device), key => Run(key.Expression, key.Device));

    // Several tests compare with the same programs: tcpdump runs once per expression and device in a test process.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Expression, string? Device), (string, string, string)> Compiled = new();

    private static (string Listing, string CArray, string Decimal) Run(string expression, string? device)
    {
        string Run(string form)
        {
            var args = new List<string> { form };
            if (device != null) args.AddRange(new[] { "-i", device });
            args.Add(expression);
            return ExternalTool.Run("tcpdump", args.ToArray()).EnsureSuccess().Stdout;
        }
        return (Run("-d"), Run("-dd"), Run("-ddd"));
    }
}
