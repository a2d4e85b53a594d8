using System;
using System.Collections.Generic;
using System.IO;

namespace CSharpBpf.Testing;

/// <summary>Writes frames as a classic pcap file (Ethernet link type) that tcpdump reads: frame i gets the timestamp
/// i seconds, so <c>tcpdump -tt</c> prints each frame's index.</summary>
public static class PcapFile
{
    public static void Write(string path, IReadOnlyList<byte[]> frames)
    {
        using var writer = new CSharpBpf.Classic.PcapWriter(File.Create(path));
        for (int i = 0; i < frames.Count; i++) writer.Write(DateTimeOffset.UnixEpoch.AddSeconds(i), frames[i], frames[i].Length);
    }

    /// <summary>The indices of the frames <c>tcpdump -r</c> prints for <paramref name="expression"/>.</summary>
    public static HashSet<int> TcpdumpMatches(string path, string expression)
    {
        var result = ExternalTool.Run("tcpdump", "-r", path, "-tt", "-n", "-q", expression).EnsureSuccess();
        var matches = new HashSet<int>();
        // One line per packet starts "seconds.micros "; decoders may add lines of their own.
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(result.Stdout, @"^(\d+)\.\d{6} ", System.Text.RegularExpressions.RegexOptions.Multiline))
            matches.Add(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        return matches;
    }
}
