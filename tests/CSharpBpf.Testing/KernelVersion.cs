using System;
using System.IO;
using System.Text.RegularExpressions;

namespace CSharpBpf.Testing;

/// <summary>The running kernel's version, for tests whose expectation depends on it: the kernel matrix
/// (scripts/test-kernels.sh) runs them on 6.1 and 6.12 as well as on the host's kernel.</summary>
public static class KernelVersion
{
    private static readonly Lazy<Version> current = new(() => Parse(File.ReadAllText("/proc/sys/kernel/osrelease")));

    /// <summary>major.minor.patch of the running kernel ("6.1.0-57-amd64" → 6.1.0).</summary>
    public static Version Current => current.Value;

    /// <summary>Whether the running kernel is at least <paramref name="major"/>.<paramref name="minor"/>.</summary>
    public static bool AtLeast(int major, int minor) => Current >= new Version(major, minor);

    /// <summary>The leading numbers of a kernel release string.</summary>
    public static Version Parse(string release)
    {
        var m = Regex.Match(release, @"^(\d+)\.(\d+)(?:\.(\d+))?");
        if (!m.Success) throw new FormatException($"not a kernel release: '{release.Trim()}'");
        return new Version(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value), m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : 0);
    }
}
