using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Core;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Loading;

/// <summary>An object in the kernel: its maps created (global data included, .rodata frozen) and
/// its programs loaded. Disposing closes every descriptor.</summary>
public sealed class LoadedObject : IDisposable
{
    // BPF_F_RDONLY_PROG: the program may only read .rodata, so the verifier treats it as constant once frozen.
    private const uint ReadOnlyProgram = 0x80;

    private readonly Dictionary<string, BpfMap> _maps = new();
    private readonly Dictionary<string, BpfProgram> _programs = new();
    private ObjectBtf? _btf;

    private LoadedObject() { }

    /// <summary>The maps by name (global-data sections by section name, e.g. ".rodata").</summary>
    public IReadOnlyDictionary<string, BpfMap> Maps => _maps;

    /// <summary>The programs by function name.</summary>
    public IReadOnlyDictionary<string, BpfProgram> Programs => _programs;

    /// <summary>A program by its function name.</summary>
    public BpfProgram Program(string name) => _programs.TryGetValue(name, out var p) ? p
        : throw new KeyNotFoundException($"the object has no program '{name}'; it has: {string.Join(", ", _programs.Keys)}");

    /// <summary>A map by its name.</summary>
    public BpfMap Map(string name) => _maps.TryGetValue(name, out var m) ? m
        : throw new KeyNotFoundException($"the object has no map '{name}'; it has: {string.Join(", ", _maps.Keys)}");

    internal static LoadedObject Create(BpfObjectFile file, LoadOptions options)
    {
        bool captureVerifierLog = options.CaptureVerifierLog;
        var loaded = new LoadedObject();
        try
        {
            loaded._btf = LoadBtf(file);
            foreach (var map in file.Spec.Maps)
            {
                // libbpf's convention: a perf event array without a size gets one slot per possible CPU.
                int maxEntries = map.Type == (uint)BpfMapType.PerfEventArray && map.MaxEntries == 0 ? BpfMap.PossibleCpus : map.MaxEntries;
                loaded._maps[map.Name] = BpfMap.Create(map.Name, (BpfMapType)map.Type, file.SizeOf(map.KeyType), file.SizeOf(map.ValueType), maxEntries, map.Flags,
                    loaded._btf?.Descriptor, (uint)map.KeyType, (uint)map.ValueType);
            }
            foreach (var section in file.Spec.Globals.Select(g => g.Section).Distinct())
                loaded._maps[section] = CreateGlobalData(file, section);
            var relocations = new List<CoreRelocationResult>();
            var relocator = options.KernelBtf is { } path ? KernelBtf.RelocatorFor(path) : KernelBtf.Relocator;
            var spec = file.Spec.CoreRelocations.Count == 0 ? file.Spec : relocator.Apply(file.Spec, relocations);
            foreach (var program in spec.Functions.Where(f => !f.IsSubprogram))
                loaded._programs[program.Name] = LoadProgram(file, spec, program, loaded._maps, loaded._btf, captureVerifierLog, relocations);
            if (loaded._maps.TryGetValue(Bytecode.Usdt.UsdtSpecLayout.SpecsMap, out var specs))
            {
                var table = new UsdtSpecTable(specs);
                foreach (var program in loaded._programs.Values) program.UsdtSpecs = table;
            }
            return loaded;
        }
        catch (Exception e)
        {
            loaded.Dispose();
            // A refusal may be this kernel lacking what the object uses: probed only then (probes cost a program load
            // each, which a process that loads fine should not pay), and said instead of the verifier's log.
            if (e is BpfException) KernelFeatureProbe.Require(file.Spec, e);
            throw;
        }
    }

    /// <summary>The object's BTF in the kernel, with its descriptor, the BTF id of each function's FUNC record and the
    /// string table that holds the line_info strings.</summary>
    private sealed record ObjectBtf(BpfFileDescriptor Descriptor, IReadOnlyDictionary<string, int> Functions, BtfStringTable Strings);

    /// <summary>The object's BTF in the kernel, so maps carry their key and value types (bpftool map dump shows fields)
    /// and programs their functions and source lines (the verifier's log, bpftool prog dump … linum and perf show them).
    /// The reader turned the file's FUNC records into placeholders; each function gets one again here, with the prototype
    /// it came with (a global subprogram is verified from it) or an empty one.</summary>
    private static ObjectBtf? LoadBtf(BpfObjectFile file)
    {
        if (file.Spec.Types.Count == 0) return null;
        var table = new BtfTypeTable();
        foreach (var type in file.Spec.Types) table.AddDistinct(type);
        int returns = table.AddDistinct(new BtfInt("int", 4, Signed: true));
        int prototype = table.AddDistinct(new BtfFuncProto(returns, EquatableArray<BtfParameter>.Empty));
        var functions = new Dictionary<string, int>();
        foreach (var f in file.Spec.Functions)
            functions[f.Name] = table.Add(new BtfFunc(f.Name, f.Prototype != 0 ? f.Prototype : prototype, f.IsSubprogram && !f.IsGlobal ? BtfLinkage.Static : BtfLinkage.Global));
        var strings = new BtfStringTable();
        foreach (var line in file.Spec.Lines)
        {
            strings.Add(line.FileName);
            strings.Add(line.LineText);
        }
        return new ObjectBtf(BpfSyscall.BtfLoad(BtfWriter.Write(table, strings)), functions, strings);
    }

    /// <summary>func_info for every function of the linked program, and line_info when the object has a line at each
    /// function's first instruction (the kernel refuses line_info without them).</summary>
    private static ProgramBtf? ProgramBtfOf(BpfObjectSpec spec, BpfFunctionSpec program, ObjectBtf? btf)
    {
        if (btf == null) return null;
        var layout = ProgramLinker.Layout(spec, program);
        var funcInfo = new byte[layout.Count * ProgramBtf.FuncInfoSize];
        for (int i = 0; i < layout.Count; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(funcInfo.AsSpan(i * 8), (uint)layout[i].Start);
            BinaryPrimitives.WriteUInt32LittleEndian(funcInfo.AsSpan(i * 8 + 4), (uint)btf.Functions[layout[i].Function.Name]);
        }
        var lines = ProgramLinker.SourceLines(spec, program);
        if (!layout.All(l => lines.ContainsKey(l.Start))) return new ProgramBtf(btf.Descriptor, funcInfo, Array.Empty<byte>());
        var lineInfo = new byte[lines.Count * ProgramBtf.LineInfoSize];
        int at = 0;
        foreach (var (slot, line) in lines)
        {
            var record = lineInfo.AsSpan(at);
            BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)slot);
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)btf.Strings.Add(line.FileName));
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)btf.Strings.Add(line.LineText));
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)(line.Line << 10 | Math.Min(line.Column, 0x3ff)));
            at += (int)ProgramBtf.LineInfoSize;
        }
        return new ProgramBtf(btf.Descriptor, funcInfo, lineInfo);
    }

    private static BpfMap CreateGlobalData(BpfObjectFile file, string section)
    {
        var data = file.SectionData(section);
        bool rodata = section.StartsWith(".rodata", StringComparison.Ordinal);
        // libbpf's naming: a prefix of the object name, then the section (the kernel keeps 15 characters).
        string name = (file.Name.Length > 8 ? file.Name[..8] : file.Name) + section;
        var map = BpfMap.Create(name, BpfMapType.Array, 4, Math.Max(data.Length, 1), 1, rodata ? ReadOnlyProgram : 0);
        var value = new byte[Math.Max(data.Length, 1)];
        data.CopyTo(value, 0);
        BpfSyscall.MapUpdate(map.Descriptor, stackalloc byte[4], value);
        if (rodata) BpfSyscall.MapFreeze(map.Descriptor);
        return map;
    }

    private static BpfProgram LoadProgram(BpfObjectFile file, BpfObjectSpec spec, BpfFunctionSpec program, Dictionary<string, BpfMap> maps, ObjectBtf? btf,
        bool captureVerifierLog, List<CoreRelocationResult> relocations)
    {
        var linked = ProgramLinker.Link(spec, program, maps);
        var type = ProgramTypeOf(program.Section);
        var debug = ProgramBtfOf(spec, program, btf);
        var target = type is BpfProgramType.Tracing or BpfProgramType.Lsm ? KernelBtf.AttachTarget(program.Section) : null;
        string? log = null;
        try
        {
            var attachType = target?.Type ?? 0;
            int attachBtfId = target?.BtfId ?? 0;
            var descriptor = captureVerifierLog
                ? BpfSyscall.ProgLoad(type, InstructionEncoding.Encode(linked), out log, file.Spec.License, program.Name, attachType, debug, attachBtfId)
                : BpfSyscall.ProgLoad(type, InstructionEncoding.Encode(linked), file.Spec.License, program.Name, attachType, debug, attachBtfId);
            return new BpfProgram(program.Name, program.Section, type, descriptor, linked.Sum(i => i.SlotCount), log) { AttachType = attachType };
        }
        catch (BpfException e) when (target is { Type: BpfAttachType.TraceFentry or BpfAttachType.TraceFexit or BpfAttachType.LsmMac } && e.Errno is 1 or 22 or 95 or 524)
        {
            // The kernel refuses these program types where it cannot build their attachment: fentry and fexit need a BPF
            // trampoline (CONFIG_FUNCTION_TRACER with dynamic ftrace), LSM programs CONFIG_BPF_LSM with bpf in lsm=.
            string needs = target.Value.Type == BpfAttachType.LsmMac
                ? "BPF LSM (CONFIG_BPF_LSM, and \"bpf\" in the lsm= boot parameter; /sys/kernel/security/lsm lists the active ones)"
                : "BPF trampolines (CONFIG_FUNCTION_TRACER with CONFIG_DYNAMIC_FTRACE and CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS)";
            string errno = e.Errno switch { 1 => "EPERM", 22 => "EINVAL", 95 => "EOPNOTSUPP", _ => "ENOTSUPP" };
            string? said = e.VerifierLog?.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
            throw new NotSupportedException($"this kernel refused {program.Section} program '{program.Name}' ({errno}{(said != null ? ": " + said : "")}): it needs {needs}, " +
                "and a security policy (lockdown, LSMs) that lets them load; one of them is missing here", e);
        }
        catch (BpfException e) when (e.VerifierLog != null)
        {
            string annotated = VerifierLogAnnotator.Annotate(e.VerifierLog, ProgramLinker.SourceLines(spec, program));
            // A reachable instruction whose CO-RE relocation the kernel could not satisfy: name the type and field.
            var missing = relocations.Where(r => r.Problem != null && ProgramLinker.Layout(spec, program).Any(l => l.Function.Name == r.Function)).ToList();
            if (missing.Count > 0 && e.VerifierLog.Contains($"unknown#{CoreRelocator.PoisonHelper}", StringComparison.Ordinal))
                throw BpfException.WithCause(e.Operation, e.Errno, $"program '{program.Name}' uses what this kernel lacks: " +
                    string.Join("; ", missing.Select(r => $"{r.Access} ({r.Problem})")) + ". Test for it first (Bpf.FieldExists, bpf_core_field_exists), so the use is unreachable where it is missing.\n" + annotated);
            throw new BpfException(e.Operation, e.Errno, annotated);
        }
    }

    /// <summary>The program type a section name stands for (libbpf's conventions).</summary>
    public static BpfProgramType ProgramTypeOf(string section) => section.Split('/')[0] switch
    {
        "xdp" or "xdp.frags" => BpfProgramType.Xdp,
        "tc" or "tcx" or "classifier" => BpfProgramType.SchedCls,
        "action" => BpfProgramType.SchedAct,
        "socket" => BpfProgramType.SocketFilter,
        "tracepoint" or "tp" => BpfProgramType.Tracepoint,
        "raw_tp" or "raw_tracepoint" => BpfProgramType.RawTracepoint,
        "kprobe" or "kretprobe" or "uprobe" or "uretprobe" or "usdt" => BpfProgramType.Kprobe,
        "tp_btf" or "fentry" or "fexit" or "iter" => BpfProgramType.Tracing,
        "lsm" => BpfProgramType.Lsm,
        _ => throw new NotSupportedException($"section '{section}' names no program type this loader knows"),
    };

    /// <summary>Closes every program and map.</summary>
    public void Dispose()
    {
        foreach (var p in _programs.Values) p.Dispose();
        foreach (var m in _maps.Values) m.Dispose();
        _btf?.Descriptor.Dispose();
        _programs.Clear();
        _maps.Clear();
    }
}
