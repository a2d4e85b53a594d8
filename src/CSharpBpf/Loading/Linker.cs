using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Loading;

/// <summary>Turns a program of an object into what BPF_PROG_LOAD takes: the program followed by the
/// .text subprograms it reaches, calls pointed at them, and every lddw of a map or global rewritten
/// to the map's file descriptor (plus the offset into a global-data map).</summary>
internal static class Linker
{
    private const int PseudoMapFd = 1;
    private const int PseudoMapValue = 2;

    public static Instruction[] Link(BpfObjectSpec spec, BpfFunctionSpec program, IReadOnlyDictionary<string, BpfMap> maps)
    {
        var subprograms = spec.Functions.Where(f => f.IsSubprogram).ToDictionary(f => f.Name);
        var included = new List<BpfFunctionSpec> { program };
        for (int i = 0; i < included.Count; i++)
            foreach (var r in included[i].Relocations)
                if (subprograms.TryGetValue(r.Symbol, out var callee) && !included.Contains(callee)) included.Add(callee);

        var starts = new Dictionary<string, int>();
        int slot = 0;
        foreach (var f in included)
        {
            starts[f.Name] = slot;
            slot += f.Instructions.Sum(ins => ins.SlotCount);
        }

        var output = new List<Instruction>();
        foreach (var f in included)
        {
            var bySlot = f.Relocations.ToDictionary(r => r.Slot, r => r.Symbol);
            int local = 0;
            foreach (var ins in f.Instructions)
            {
                var patched = ins;
                if (bySlot.TryGetValue(local, out var symbol))
                    patched = Resolve(spec, ins, symbol, starts[f.Name] + local, starts, maps);
                output.Add(patched);
                local += ins.SlotCount;
            }
        }
        return output.ToArray();
    }

    private static Instruction Resolve(BpfObjectSpec spec, Instruction ins, string symbol, int slot, Dictionary<string, int> starts, IReadOnlyDictionary<string, BpfMap> maps)
    {
        if (ins.IsCall)
        {
            if (!starts.TryGetValue(symbol, out int target)) throw new InvalidOperationException($"call to '{symbol}', which is not a function of the object");
            return new Instruction(ins.Opcode, ins.Destination, (Register)CallKind.Local, ins.Offset, target - (slot + 1));
        }
        if (maps.TryGetValue(symbol, out var map) && spec.Maps.Any(m => m.Name == symbol))
            return new Instruction(ins.Opcode, ins.Destination, (Register)PseudoMapFd, 0, map.Descriptor.Value, 0);
        // A global: relocated against its section (imm holds the offset) or against the variable itself.
        var global = spec.Globals.FirstOrDefault(g => g.Name == symbol);
        string section = global?.Section ?? symbol;
        int offset = ins.Immediate + (global?.Offset ?? 0);
        if (!maps.TryGetValue(section, out var data)) throw new InvalidOperationException($"relocation against '{symbol}', which is no map or global of the object");
        return new Instruction(ins.Opcode, ins.Destination, (Register)PseudoMapValue, 0, data.Descriptor.Value, offset);
    }
}
