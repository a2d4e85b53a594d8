using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Loading;

/// <summary>
/// What the running kernel can load, probed as libbpf's <c>libbpf_probe_bpf_map_type</c>, <c>…_prog_type</c> and
/// <c>…_helper</c> do (tools/lib/bpf/libbpf_probes.c): a minimal map of the type, a minimal program of the type (<c>r0 = 0;
/// exit</c>), a program of the type that calls the helper (the verifier names a helper it lacks, or one the type may not
/// use, before it checks arguments: "invalid func", "unknown func", "cannot use helper"), and one cpu v4 instruction.
/// Each answer is kept for the life of the process. When the kernel refuses an object, the loader asks (<see cref="Require"/>),
/// so an object written for a newer kernel fails with what is missing rather than with the verifier's log.
/// </summary>
public static class KernelFeatureProbe
{
    private const int EPERM = 1, EINVAL = 22;
    private static readonly ConcurrentDictionary<(string Kind, long Key, long Detail), bool> Answers = new();

    /// <summary>The running kernel's release (/proc/sys/kernel/osrelease), e.g. "6.1.0-57-amd64".</summary>
    public static string KernelRelease { get; } = ReadRelease();

    /// <summary>True when the kernel creates maps of <paramref name="type"/>. Types the probe cannot build a minimal map of
    /// (maps of maps need an inner map, storage maps BTF) answer true: the kernel's own error then says what it lacks.</summary>
    /// <exception cref="BpfException">The probe failed for another reason than an unknown type (EPERM: not root).</exception>
    public static bool HasMapType(BpfMapType type) => !MinimalMaps.Contains((uint)type) || Answers.GetOrAdd(("map", (long)type, 0), _ =>
    {
        // Key and value sizes each type accepts (libbpf_probes.c probe_map_create): a ring buffer is sized in pages and has
        // neither; an LPM trie's key holds a prefix length and needs BPF_F_NO_PREALLOC; a stack trace's value is an address.
        var (key, value, entries, flags) = type switch
        {
            BpfMapType.RingBuffer => (0u, 0u, (uint)Environment.SystemPageSize, 0u),
            BpfMapType.LpmTrie => (8u, 8u, 1u, 1u),
            BpfMapType.StackTrace => (4u, 8u, 1u, 0u),
            _ => (4u, 4u, 1u, 0u),
        };
        try
        {
            using var map = BpfSyscall.MapCreate(type, key, value, entries, flags);
            return true;
        }
        catch (BpfException e) when (e.Errno == EINVAL)
        {
            return false;
        }
    });

    /// <summary>True when the kernel loads programs of <paramref name="type"/>. Tracing and LSM programs need an attach
    /// target to load at all and answer true.</summary>
    public static bool HasProgramType(BpfProgramType type) => NeedsTarget(type) || Answers.GetOrAdd(("program", (long)type, 0), _ =>
        Load(type, Instruction.Mov64(Register.R0, 0), Instruction.Exit()) is not { } refusal || refusal.Errno != EINVAL);

    /// <summary>True when programs of <paramref name="type"/> may call helper <paramref name="helper"/> (enum bpf_func_id)
    /// on this kernel. Tracing and LSM programs, and types the kernel lacks, answer true (nothing to probe with).</summary>
    public static bool HasHelper(BpfProgramType type, int helper) => NeedsTarget(type) || !HasProgramType(type) || Answers.GetOrAdd(("helper", (long)type, helper), _ =>
        Load(type, Instruction.CallHelper(helper), Instruction.Exit()) is not { } refusal || !MissingHelper.IsMatch(refusal.VerifierLog ?? ""));

    /// <summary>True when the verifier takes cpu v4 instructions (Linux 6.6 and later): probed with one movsx.</summary>
    public static bool HasCpuV4 => Answers.GetOrAdd(("isa", 4, 0), _ =>
        Load(BpfProgramType.SocketFilter, Instruction.Mov64(Register.R0, 0), new Instruction(Opcode.Alu(InstructionClass.Alu64, AluOperation.Mov, OperandSource.Register), Register.R0, Register.R0, 8, 0), Instruction.Exit()) == null);

    /// <summary>Throws when the object needs what this kernel lacks: a map type, a program type, a helper for a program's
    /// type, or cpu v4 instructions — every one missing, each with where the object uses it (<paramref name="cause"/>: the
    /// refusal that led here, kept as the inner exception).</summary>
    /// <exception cref="NotSupportedException">Something the object uses is missing; the message lists it all.</exception>
    public static void Require(BpfObjectSpec spec, Exception? cause = null)
    {
        var missing = new List<string>();
        foreach (var map in spec.Maps)
            if (!HasMapType((BpfMapType)map.Type))
                missing.Add($"map '{map.Name}': {MapTypeName(map.Type)} maps");
        foreach (var program in spec.Functions.Where(f => !f.IsSubprogram))
        {
            var type = LoadedObject.ProgramTypeOf(program.Section);
            if (!HasProgramType(type))
            {
                missing.Add($"program '{program.Name}' ({program.Section}): {type} programs");
                continue;
            }
            var reached = ProgramLinker.Layout(spec, program).Select(l => l.Function).ToList();
            foreach (int helper in reached.SelectMany(f => f.Instructions).Where(i => i.IsCall && i.CallKind == CallKind.Helper).Select(i => i.Immediate).Distinct())
                if (!HasHelper(type, helper))
                    missing.Add($"program '{program.Name}' ({program.Section}): {HelperRefusal(type, helper)}");
            if (!HasCpuV4 && reached.SelectMany(f => f.Instructions.Select(i => (f, i.CpuV4Feature))).FirstOrDefault(x => x.CpuV4Feature != null) is ({ } function, { } feature))
                missing.Add($"program '{program.Name}' ({program.Section}): cpu v4 instructions (Linux 6.6+), such as {feature} in '{function.Name}' — " +
                    "build it with <BpfCpuVersion>3</BpfCpuVersion>");
        }
        if (missing.Count > 0)
            throw new NotSupportedException($"this kernel (Linux {KernelRelease}) cannot load what the object uses:\n  " + string.Join("\n  ", missing) +
                "\nSet <BpfTargetKernel> to the oldest kernel you run, and the build names each use (BPF0036).", cause);
    }

    // The map types a map of 4-byte keys and values (or the sizes above) probes (uapi enum bpf_map_type): hash, array,
    // program, perf event and cgroup arrays, per-CPU and LRU hashes and arrays, stack traces, LPM tries, device, socket,
    // CPU and AF_XDP socket maps, socket hashes, device hashes, ring buffers. Maps of maps need an inner map, storage maps
    // BTF, queues and stacks no key: those are left to the kernel's own error.
    private static readonly HashSet<uint> MinimalMaps = new() { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 15, 16, 17, 18, 25, 27 };

    private static bool NeedsTarget(BpfProgramType type) => type is BpfProgramType.Tracing or BpfProgramType.Lsm;

    // libbpf_probe_bpf_helper's test: an unknown id ("invalid func unknown#181"), or a known one this type may not call
    // ("unknown func bpf_sys_bpf#166", or since 6.x "program of this type cannot use helper bpf_sys_bpf#166").
    private static readonly Regex MissingHelper = new(@"invalid func |unknown func |cannot use helper ", RegexOptions.Compiled);
    private static readonly Regex HelperInLog = new(@"(?:func|helper) (\w+)#\d+", RegexOptions.Compiled);

    /// <summary>What the verifier said of the helper: one it does not know (a newer kernel's), or one it keeps from this
    /// program type (bpf_skb_store_bytes from a socket filter, on every kernel: the analyzers say so at build, BPF0016).</summary>
    private static string HelperRefusal(BpfProgramType type, int helper) =>
        Load(type, Instruction.CallHelper(helper), Instruction.Exit())?.VerifierLog is { } log && HelperInLog.Match(log) is { Success: true } m && m.Groups[1].Value != "unknown"
            ? $"helper {m.Groups[1].Value} (#{helper}), which this kernel does not give {type} programs"
            : $"helper #{helper}, which this kernel does not have";

    private static string MapTypeName(uint type) => Enum.IsDefined(typeof(BpfMapType), type) ? ((BpfMapType)type).ToString() : $"type {type}";

    /// <summary>Loads a probe program; returns null when it loads, else the refusal with the verifier's log.</summary>
    private static BpfException? Load(BpfProgramType type, params Instruction[] program)
    {
        try
        {
            using var loaded = BpfSyscall.ProgLoad(type, InstructionEncoding.Encode(program), out _, "GPL", "csbpf_probe");
            return null;
        }
        catch (BpfException e)
        {
            if (e.Errno == EPERM) throw;
            return e;
        }
    }

    private static string ReadRelease()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
