using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Loading;

/// <summary>Turns a program of an object into runnable instructions: the program followed by the .text
/// subprograms it reaches, with calls pointed at them, and each lddw of a map or global rewritten by a
/// resolver (file descriptors for the kernel, addresses for the VM).</summary>
public static class ProgramLinker
{
    private const int PseudoMapFd = 1;
    private const int PseudoMapValue = 2;

    /// <summary>Links for BPF_PROG_LOAD: maps and global-data sections by file descriptor, kernel functions by their id in the
    /// running kernel's BTF (<see cref="KernelBtf"/>).</summary>
    public static Instruction[] Link(BpfObjectSpec spec, BpfFunctionSpec program, IReadOnlyDictionary<string, BpfMap> maps) =>
        Link(spec, program, (ins, target) => target.Map != null
            ? new Instruction(ins.Opcode, ins.Destination, (Register)PseudoMapFd, 0, maps[target.Map].Descriptor.Value, 0)
            : new Instruction(ins.Opcode, ins.Destination, (Register)PseudoMapValue, 0, maps[target.Section!].Descriptor.Value, target.Offset),
            KernelBtf.FunctionId);

    /// <summary>Links with <paramref name="resolve"/> rewriting each lddw of a map or global, and <paramref name="kernelFunction"/>
    /// giving the id a call of a kernel function carries (null: the object may call none).</summary>
    /// <exception cref="InvalidOperationException">A relocation names no function, map, global or kernel function of the object.</exception>
    public static Instruction[] Link(BpfObjectSpec spec, BpfFunctionSpec program, Func<Instruction, DataReference, Instruction> resolve,
        Func<string, int>? kernelFunction = null)
    {
        var layout = Layout(spec, program);
        var starts = layout.ToDictionary(l => l.Function.Name, l => l.Start);

        var output = new List<Instruction>();
        foreach (var (f, _) in layout)
        {
            var bySlot = f.Relocations.ToDictionary(r => r.Slot, r => r.Symbol);
            int local = 0;
            foreach (var ins in f.Instructions)
            {
                var patched = ins;
                if (bySlot.TryGetValue(local, out var symbol))
                    patched = Resolve(spec, ins, symbol, starts[f.Name] + local, starts, resolve, kernelFunction);
                output.Add(patched);
                local += ins.SlotCount;
            }
        }
        return output.ToArray();
    }

    /// <summary>The functions of the linked program (the program, then the .text subprograms it reaches) with the slot
    /// each starts at: what BPF_PROG_LOAD's func_info describes.</summary>
    public static IReadOnlyList<(BpfFunctionSpec Function, int Start)> Layout(BpfObjectSpec spec, BpfFunctionSpec program)
    {
        var layout = new List<(BpfFunctionSpec, int)>();
        int slot = 0;
        foreach (var f in Included(spec, program))
        {
            layout.Add((f, slot));
            slot += f.Instructions.Sum(ins => ins.SlotCount);
        }
        return layout;
    }

    /// <summary>The program and the .text subprograms it reaches, in the order they are laid out.</summary>
    private static List<BpfFunctionSpec> Included(BpfObjectSpec spec, BpfFunctionSpec program)
    {
        var subprograms = spec.Functions.Where(f => f.IsSubprogram).ToDictionary(f => f.Name);
        var included = new List<BpfFunctionSpec> { program };
        for (int i = 0; i < included.Count; i++)
            foreach (var r in included[i].Relocations)
                if (subprograms.TryGetValue(r.Symbol, out var callee) && !included.Contains(callee)) included.Add(callee);
        return included;
    }

    /// <summary>The source line (from the object's line_info) of each slot of the linked program that starts one.</summary>
    public static SortedDictionary<int, LineInfo> SourceLines(BpfObjectSpec spec, BpfFunctionSpec program)
    {
        // A function's byte offset in its section is the size of the functions before it there.
        var sectionOffsets = new Dictionary<BpfFunctionSpec, int>();
        foreach (var group in spec.Functions.GroupBy(f => f.Section))
        {
            int offset = 0;
            foreach (var f in group)
            {
                sectionOffsets[f] = offset;
                offset += f.Instructions.Sum(i => i.SlotCount) * 8;
            }
        }
        var lines = new SortedDictionary<int, LineInfo>();
        foreach (var (f, start) in Layout(spec, program))
        {
            int size = f.Instructions.Sum(i => i.SlotCount) * 8, from = sectionOffsets[f];
            foreach (var line in spec.Lines.Where(l => l.Section == f.Section && l.InstructionOffset >= from && l.InstructionOffset < from + size))
                lines[start + (line.InstructionOffset - from) / 8] = line;
        }
        return lines;
    }

    private static Instruction Resolve(BpfObjectSpec spec, Instruction ins, string symbol, int slot, Dictionary<string, int> starts,
        Func<Instruction, DataReference, Instruction> resolve, Func<string, int>? kernelFunction)
    {
        if (ins.IsCall)
        {
            if (starts.TryGetValue(symbol, out int target))
                return new Instruction(ins.Opcode, ins.Destination, (Register)CallKind.Local, ins.Offset, target - (slot + 1));
            if (spec.KernelFunctions.Any(k => k.Name == symbol))
            {
                if (kernelFunction == null) throw new InvalidOperationException($"call to kernel function '{symbol}', which this link cannot resolve");
                return new Instruction(ins.Opcode, ins.Destination, (Register)CallKind.Kfunc, 0, kernelFunction(symbol));
            }
            throw new InvalidOperationException($"call to '{symbol}', which is not a function of the object");
        }
        if (spec.Maps.Any(m => m.Name == symbol)) return resolve(ins, new DataReference(symbol, null, 0));
        // A global: relocated against its section (imm holds the offset) or against the variable itself.
        var global = spec.Globals.FirstOrDefault(g => g.Name == symbol);
        string section = global?.Section ?? symbol;
        if (global == null && !spec.Globals.Any(g => g.Section == section))
            throw new InvalidOperationException($"relocation against '{symbol}', which is no map or global of the object");
        return resolve(ins, new DataReference(null, section, ins.Immediate + (global?.Offset ?? 0)));
    }
}
