using System;
using System.Collections.Generic;
using System.IO;
using CSharpBpf.Bytecode.Btf;

namespace CSharpBpf.Loading;

/// <summary>The running kernel's BTF (/sys/kernel/btf/vmlinux), read once: where the loader finds the ids of the kernel
/// functions (kfuncs) an object calls, as libbpf does for <c>__ksym</c> externs, and the layouts CO-RE relocations are
/// resolved against.</summary>
public static class KernelBtf
{
    /// <summary>Where the kernel publishes its BTF (CONFIG_DEBUG_INFO_BTF).</summary>
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    private static readonly Lazy<IReadOnlyList<BtfType>> Vmlinux = new(ReadVmlinux);
    private static readonly Lazy<Dictionary<string, int>> Functions = new(ReadFunctions);
    private static readonly Lazy<Bytecode.Core.CoreRelocator> CoreRelocator = new(() => new Bytecode.Core.CoreRelocator(Vmlinux.Value));

    /// <summary>The kernel's BTF types, ids from 1 in list order.</summary>
    /// <exception cref="NotSupportedException">This kernel publishes no BTF (CONFIG_DEBUG_INFO_BTF is off).</exception>
    public static IReadOnlyList<BtfType> Types => Vmlinux.Value;

    /// <summary>The relocator for CO-RE relocations against this kernel's types.</summary>
    /// <exception cref="NotSupportedException">This kernel publishes no BTF.</exception>
    public static Bytecode.Core.CoreRelocator Relocator => CoreRelocator.Value;

    /// <summary>The BTF id of kernel function <paramref name="name"/>: the immediate of a call to it (src_reg BPF_PSEUDO_KFUNC_CALL).</summary>
    /// <exception cref="NotSupportedException">This kernel has no BTF, or no such function (open-coded iterators such as
    /// bpf_iter_num_new need Linux 6.4 or later).</exception>
    public static int FunctionId(string name) =>
        Functions.Value.TryGetValue(name, out int id) ? id
        : throw new NotSupportedException($"this kernel has no kernel function '{name}' in its BTF ({VmlinuxPath}); " +
            (name.StartsWith("bpf_iter_num_", StringComparison.Ordinal) ? "foreach over Bpf.Range needs Linux 6.4 or later" : "it needs a newer kernel"));

    private static IReadOnlyList<BtfType> ReadVmlinux()
    {
        if (!File.Exists(VmlinuxPath))
            throw new NotSupportedException($"this kernel publishes no BTF ({VmlinuxPath} is missing: CONFIG_DEBUG_INFO_BTF is off), so kernel functions cannot be called and CO-RE relocations cannot be resolved");
        var file = File.ReadAllBytes(VmlinuxPath);
        return BtfReader.Read(file, 0, file.Length).Types;
    }

    private static Dictionary<string, int> ReadFunctions()
    {
        var types = Vmlinux.Value;
        var functions = new Dictionary<string, int>();
        for (int i = 0; i < types.Count; i++)
            if (types[i] is BtfFunc f) functions.TryAdd(f.Name, i + 1);
        return functions;
    }
}
