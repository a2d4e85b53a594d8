using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using CSharpBpf.Bytecode;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Elf;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf dump OBJ</c>: what <c>llvm-objdump -dS</c> and <c>bpftool btf dump</c> show, in one:
/// programs with their disassembly interleaved with source lines, maps, globals, BTF types.</summary>
public static class DumpCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var input = new Argument<FileInfo>("object") { Description = "An eBPF ELF object (ours or clang's)" };
        var command = new Command("dump", "Show an eBPF object: programs with source lines, maps, globals and BTF types") { input };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(input)!;
            try
            {
                Console.Out.Write(Format(ElfObjectReader.Read(File.ReadAllBytes(file.FullName))));
                return 0;
            }
            catch (Exception e) when (e is BpfObjectFormatException or IOException)
            {
                Console.Error.WriteLine($"{file.Name}: error: {e.Message}");
                return 1;
            }
        });
        return command;
    }

    /// <summary>The dump as text.</summary>
    public static string Format(BpfObjectSpec spec)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine($"license: {spec.License}");
        foreach (var f in spec.Functions)
        {
            text.AppendLine();
            text.AppendLine($"{(f.IsSubprogram ? "subprogram" : "program")} {f.Name} (section {f.Section}, {f.Instructions.Count} instructions)");
            int functionStart = FunctionStart(spec, f);
            var lines = spec.Lines.Where(l => l.Section == f.Section).ToDictionary(l => l.InstructionOffset, l => l);
            int slot = 0;
            foreach (var ins in f.Instructions)
            {
                if (lines.TryGetValue(functionStart + slot * 8, out var line))
                    text.AppendLine($"  ; {line.LineText.Trim()}  [{line.FileName}:{line.Line}:{line.Column}]");
                string relocation = string.Concat(f.Relocations.Where(r => r.Slot == slot).Select(r => $"    <{r.Symbol}>"));
                text.AppendLine($"  {slot,4}: {Disassembler.Format(ins)}{relocation}");
                slot += ins.SlotCount;
            }
        }
        text.AppendLine();
        foreach (var m in spec.Maps)
            text.AppendLine($"map {m.Name}: type {m.Type}, key type #{m.KeyType}, value type #{m.ValueType}, max_entries {m.MaxEntries}, flags 0x{m.Flags:x}, pinning {m.Pinning}");
        foreach (var g in spec.Globals)
            text.AppendLine($"global {g.Name} in {g.Section}: type #{g.Type}, {g.InitialValue.Count} bytes = {Convert.ToHexString(g.InitialValue.ToArray())}");
        text.AppendLine();
        for (int id = 1; id <= spec.Types.Count; id++)
            text.AppendLine($"[{id}] {Describe(spec.Types[id - 1])}");
        return text.ToString();
    }

    // Functions of .text share one section; line info offsets count from the section's start.
    private static int FunctionStart(BpfObjectSpec spec, BpfFunctionSpec function)
    {
        int offset = 0;
        foreach (var f in spec.Functions.Where(f => f.Section == function.Section))
        {
            if (ReferenceEquals(f, function)) return offset;
            offset += f.Instructions.Sum(i => i.SlotCount) * 8;
        }
        return 0;
    }

    private static string Describe(BtfType type) => type switch
    {
        BtfInt i => $"INT '{i.Name}' size={i.Size}{(i.Signed ? " signed" : "")}",
        BtfPointer p => $"PTR -> #{p.Target}",
        BtfArray a => $"ARRAY #{a.Element}[{a.Count}]",
        BtfStruct s => $"{(s.IsUnion ? "UNION" : "STRUCT")} '{s.Name}' size={s.Size} {{ {string.Join("; ", s.Members.Select(m => $"{m.Name}: #{m.Type} @{m.Offset(s.HasBitfields)}" + (m.BitfieldSize(s.HasBitfields) > 0 ? $":{m.BitfieldSize(s.HasBitfields)}" : "")))} }}",
        BtfEnum e => $"ENUM '{e.Name}' size={e.Size} {{ {string.Join(", ", e.Values.Select(v => $"{v.Name} = {v.Value}"))} }}",
        BtfForward f => $"FWD '{f.Name}'",
        BtfModifier m => $"{m.ModifierKind.ToString().ToUpperInvariant()} '{m.Name}' -> #{m.Target}",
        BtfFunc f => $"FUNC '{f.Name}' proto #{f.Prototype} {f.Linkage.ToString().ToLowerInvariant()}",
        BtfFuncProto p => $"FUNC_PROTO returns #{p.ReturnType} ({string.Join(", ", p.Parameters.Select(x => $"{x.Name}: #{x.Type}"))})",
        BtfVar v => $"VAR '{v.Name}' #{v.Type}",
        BtfDataSection d => $"DATASEC '{d.Name}' size={d.Size}",
        _ => $"{type.Kind.ToString().ToUpperInvariant()} '{type.Name}'",
    };
}
