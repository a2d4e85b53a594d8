using System;
using CSharpBpf.Loading;

namespace CSharpBpf.Cli;

/// <summary>How the verbs name a program or map in the kernel, as bpftool does: a numeric id or a path in bpffs.</summary>
public static class KernelObjectReference
{
    /// <summary>Opens the program <paramref name="reference"/> names.</summary>
    public static BpfProgram Program(string reference) =>
        uint.TryParse(reference, out uint id) ? BpfProgram.Open(id) : BpfProgram.OpenPinned(reference);

    /// <summary>Opens the map <paramref name="reference"/> names.</summary>
    public static BpfMap Map(string reference) =>
        uint.TryParse(reference, out uint id) ? BpfMap.Open(id) : BpfMap.OpenPinned(reference);
}
