using System.Text.RegularExpressions;

namespace SysCount;

/// <summary>Syscall numbers to names from the kernel headers (linux-libc-dev's asm/unistd_64.h); numbers alone where
/// the headers are not installed.</summary>
internal sealed partial class SyscallNames
{
    private readonly Dictionary<long, string> _names;

    private SyscallNames(Dictionary<long, string> names) => _names = names;

    public static SyscallNames Load()
    {
        var names = new Dictionary<long, string>();
        foreach (string header in new[] { "/usr/include/x86_64-linux-gnu/asm/unistd_64.h", "/usr/include/asm/unistd_64.h", "/usr/include/asm-generic/unistd.h" })
        {
            if (!File.Exists(header)) continue;
            foreach (Match m in Define().Matches(File.ReadAllText(header)))
                names.TryAdd(long.Parse(m.Groups[2].Value), m.Groups[1].Value);
            break;
        }
        return new SyscallNames(names);
    }

    public string NameOf(long id) => _names.TryGetValue(id, out var name) ? name : $"syscall {id}";

    [GeneratedRegex(@"^#define __NR_(\w+)\s+(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex Define();
}
