using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Bytecode.Btf;

namespace CSharpBpf.Loading;

/// <summary>The running kernel's BTF (/sys/kernel/btf/vmlinux), read once: where the loader finds the ids of the kernel
/// functions (kfuncs) an object calls, as libbpf does for <c>__ksym</c> externs, and the layouts CO-RE relocations are
/// resolved against.</summary>
public static class KernelBtf
{
    /// <summary>Where the kernel publishes its BTF (CONFIG_DEBUG_INFO_BTF).</summary>
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    private static readonly Lazy<BtfReader> VmlinuxBtf = new(ReadVmlinux);
    private static readonly Lazy<IReadOnlyList<BtfType>> Vmlinux = new(() => VmlinuxBtf.Value.Types);
    private static readonly Lazy<Dictionary<string, int>> Functions = new(ReadFunctions);
    private static readonly Lazy<Bytecode.Core.CoreRelocator> CoreRelocator = new(() => new Bytecode.Core.CoreRelocator(Vmlinux.Value, ReadModules()));

    /// <summary>The kernel's BTF types, ids from 1 in list order.</summary>
    /// <exception cref="NotSupportedException">This kernel publishes no BTF (CONFIG_DEBUG_INFO_BTF is off).</exception>
    public static IReadOnlyList<BtfType> Types => Vmlinux.Value;

    /// <summary>The relocator for CO-RE relocations against this kernel's types: vmlinux's, then its modules'
    /// (/sys/kernel/btf/&lt;module&gt;, split BTF) for what vmlinux lacks.</summary>
    /// <exception cref="NotSupportedException">This kernel publishes no BTF.</exception>
    public static Bytecode.Core.CoreRelocator Relocator => CoreRelocator.Value;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Bytecode.Core.CoreRelocator>> CustomRelocators = new();

    /// <summary>A relocator for CO-RE relocations against the BTF in the file at <paramref name="path"/> (raw BTF, as
    /// /sys/kernel/btf/vmlinux or BTFHub's files), read once per path.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="Bytecode.BpfObjectFormatException">The file is not BTF.</exception>
    public static Bytecode.Core.CoreRelocator RelocatorFor(string path) =>
        CustomRelocators.GetOrAdd(Path.GetFullPath(path), full => new Lazy<Bytecode.Core.CoreRelocator>(() =>
        {
            var bytes = File.ReadAllBytes(full);
            return new Bytecode.Core.CoreRelocator(BtfReader.Read(bytes, 0, bytes.Length).Types);
        })).Value;

    /// <summary>The BTF id of kernel function <paramref name="name"/>: the immediate of a call to it (src_reg BPF_PSEUDO_KFUNC_CALL).</summary>
    /// <exception cref="NotSupportedException">This kernel has no BTF, or no such function (open-coded iterators such as
    /// bpf_iter_num_new need Linux 6.4 or later).</exception>
    public static int FunctionId(string name) =>
        Functions.Value.TryGetValue(name, out int id) ? id
        : throw new NotSupportedException($"this kernel has no kernel function '{name}' in its BTF ({VmlinuxPath}); " +
            (name.StartsWith("bpf_iter_num_", StringComparison.Ordinal) ? "foreach over Bpf.Range needs Linux 6.4 or later" : "it needs a newer kernel"));

    /// <summary>What a BTF-typed program's section attaches to: the attach type, and the kernel BTF id of the typedef
    /// (btf_trace_&lt;tracepoint&gt;) or function (the function, bpf_lsm_&lt;hook&gt;, bpf_iter_&lt;target&gt;) it names, as libbpf
    /// resolves them; null for other sections.</summary>
    /// <exception cref="NotSupportedException">The kernel's BTF has no such tracepoint, function, hook or iterator.</exception>
    public static (Syscalls.BpfAttachType Type, int BtfId)? AttachTarget(string section)
    {
        int slash = section.IndexOf('/');
        if (slash < 0) return null;
        string kind = section[..slash], name = section[(slash + 1)..];
        var (type, btfName, wanted, what) = kind switch
        {
            "tp_btf" => (Syscalls.BpfAttachType.TraceRawTracepoint, "btf_trace_" + name, BtfKind.Typedef, $"tracepoint {name}"),
            "fentry" => (Syscalls.BpfAttachType.TraceFentry, name, BtfKind.Func, $"function {name}"),
            "fexit" => (Syscalls.BpfAttachType.TraceFexit, name, BtfKind.Func, $"function {name}"),
            "lsm" => (Syscalls.BpfAttachType.LsmMac, "bpf_lsm_" + name, BtfKind.Func, $"LSM hook {name}"),
            "iter" => (Syscalls.BpfAttachType.TraceIterator, "bpf_iter_" + name, BtfKind.Func, $"iterator {name}"),
            _ => (default(Syscalls.BpfAttachType), "", default(BtfKind), ""),
        };
        if (btfName.Length == 0) return null;
        var types = Vmlinux.Value;
        for (int i = 0; i < types.Count; i++)
            if (types[i].Kind == wanted && types[i].Name == btfName) return (type, i + 1);
        throw new NotSupportedException($"this kernel's BTF ({VmlinuxPath}) has no {what} ({btfName}): section {section} cannot attach here");
    }

    private static BtfReader ReadVmlinux()
    {
        if (!File.Exists(VmlinuxPath))
            throw new NotSupportedException($"this kernel publishes no BTF ({VmlinuxPath} is missing: CONFIG_DEBUG_INFO_BTF is off), so kernel functions cannot be called and CO-RE relocations cannot be resolved");
        var file = File.ReadAllBytes(VmlinuxPath);
        return BtfReader.Read(file, 0, file.Length);
    }

    /// <summary>A relocator per loaded module with BTF, in name order.</summary>
    private static IReadOnlyList<Bytecode.Core.CoreRelocator> ReadModules()
    {
        var modules = new List<Bytecode.Core.CoreRelocator>();
        string directory = Path.GetDirectoryName(VmlinuxPath)!;
        foreach (var path in Directory.GetFiles(directory).Where(p => Path.GetFileName(p) != "vmlinux").Order(StringComparer.Ordinal))
        {
            var file = File.ReadAllBytes(path);
            modules.Add(Bytecode.Core.CoreRelocator.ForModule(BtfReader.Read(file, 0, file.Length, VmlinuxBtf.Value).Types, Vmlinux.Value.Count + 1));
        }
        return modules;
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
