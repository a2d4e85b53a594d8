using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Bytecode.Elf
{
    /// <summary>
    /// Reads a libbpf-style object — ours or clang's — into a <see cref="BpfObjectSpec"/> that
    /// <see cref="ElfObjectWriter"/> can write back. Any malformed input is a
    /// <see cref="BpfObjectFormatException"/> naming the section and offset.
    /// </summary>
    public static class ElfObjectReader
    {
        private sealed record Section(int Index, string Name, uint Type, ulong Flags, int Offset, int Size, int Link, int Info);
        private sealed record Symbol(string Name, int Section, ulong Value, ulong Size, byte Type, byte Bind);

        /// <summary>Reads the object.</summary>
        public static BpfObjectSpec Read(byte[] file)
        {
            var header = new ByteReader(file, 0, Math.Min(file.Length, 64), "ELF header");
            if (file.Length < 64 || header.U32(0) != 0x464c457f) throw header.Error(0, "not an ELF file (no \\x7fELF magic)");
            if (header.U8(4) != 2 || header.U8(5) != 1) throw header.Error(4, "not a 64-bit little-endian ELF file");
            if (header.U16(18) != ElfObjectWriter.MachineBpf) throw header.Error(18, $"machine {header.U16(18)} is not EM_BPF (247)");
            var sections = ReadSections(file, header);
            var symbols = ReadSymbols(file, sections);
            Section? Find(string name) => sections.FirstOrDefault(s => s.Name == name);

            BtfReader? btf = Find(".BTF") is Section b ? BtfReader.Read(file, b.Offset, b.Size) : null;
            var ext = Find(".BTF.ext") is Section e && btf != null ? BtfExtReader.Read(file, e.Offset, e.Size, btf) : null;
            var types = btf?.Types.ToList() ?? new List<BtfType>();

            // Each function keeps its FUNC record's prototype and linkage (a global subprogram is verified from them).
            var funcs = types.OfType<BtfFunc>().GroupBy(f => f.Name).ToDictionary(g => g.Key, g => g.First());
            var functions = ReadFunctions(file, sections, symbols).Select(f => funcs.TryGetValue(f.Name, out var func)
                ? f with { Prototype = func.Prototype, IsGlobal = f.IsSubprogram && func.Linkage == BtfLinkage.Global } : f).ToList();
            var maps = btf == null ? new List<BpfMapSpec>() : ReadMaps(types);
            var globals = btf == null ? new List<BpfGlobalSpec>() : ReadGlobals(file, sections, symbols, types);
            // Kernel functions are the extern FUNCs (clang puts them in the .ksyms DATASEC).
            var kernelFunctions = types.OfType<BtfFunc>().Where(f => f.Linkage == BtfLinkage.Extern)
                .Select(f => new BpfKernelFunctionSpec(f.Name, f.Prototype)).ToArray();
            string license = Find("license") is Section l ? new ByteReader(file, l.Offset, l.Size, "license").CString(0) : "";

            // The writer regenerates FUNC, VAR and DATASEC records from the functions, maps and globals;
            // the originals become "const void" so every other type keeps its id.
            var kept = types.Select(t => t is BtfFunc or BtfVar or BtfDataSection ? (BtfType)new BtfModifier(BtfKind.Const, "", 0) : t).ToArray();
            return new BpfObjectSpec(license, functions.ToArray(), maps.ToArray(), globals.ToArray(), kept, (ext?.Lines ?? new List<LineInfo>()).ToArray(), kernelFunctions,
                (ext?.CoreRelocations ?? new List<CoreRelocation>()).ToArray());
        }

        private static List<Section> ReadSections(byte[] file, ByteReader header)
        {
            long shoff = (long)header.U64(40);
            int count = header.U16(60), entry = header.U16(58), names = header.U16(62);
            if (entry != 64) throw header.Error(58, $"section header size {entry} is not 64");
            if (shoff < 0 || shoff + (long)count * 64 > file.Length) throw header.Error(40, $"{count} section headers at {shoff} run past the end of the file");
            var table = new ByteReader(file, (int)shoff, count * 64, "section headers");
            var raw = new List<(uint Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info)>();
            for (int i = 0; i < count; i++)
            {
                long at = i * 64L;
                raw.Add((table.U32(at), table.U32(at + 4), table.U64(at + 8), table.U64(at + 24), table.U64(at + 32), table.U32(at + 40), table.U32(at + 44)));
            }
            if (names >= count) throw header.Error(62, $"e_shstrndx {names} is not a section");
            var nameTable = Contents(file, raw[names], "section name table", names);
            var sections = new List<Section>();
            for (int i = 0; i < count; i++)
            {
                var s = raw[i];
                bool noBits = s.Type == ElfSection.NoBits;
                if (!noBits) Contents(file, s, $"section {i}", i);
                if (s.Size > int.MaxValue) throw table.Error(i * 64L + 32, $"section {i} is too large");
                string name = i == 0 ? "" : nameTable.CString(s.Name);
                // An unnamed section is still named in errors, by its index.
                if (i > 0 && name.Length == 0) name = $"section {i}";
                sections.Add(new Section(i, name, s.Type, s.Flags, noBits ? 0 : (int)s.Offset, (int)s.Size, (int)s.Link, (int)s.Info));
            }
            return sections;
        }

        private static ByteReader Contents(byte[] file, (uint Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info) s, string name, int index)
        {
            if (s.Offset > (ulong)file.Length || s.Size > (ulong)file.Length - s.Offset)
                throw new BpfObjectFormatException(name, (long)Math.Min(s.Offset, long.MaxValue), $"section {index}'s {s.Size} bytes run past the end of the {file.Length}-byte file");
            return new ByteReader(file, (int)s.Offset, (int)s.Size, name);
        }

        private static List<Symbol> ReadSymbols(byte[] file, List<Section> sections)
        {
            var symtab = sections.FirstOrDefault(s => s.Type == ElfSection.SymbolTable);
            if (symtab == null) return new List<Symbol>();
            if (symtab.Link <= 0 || symtab.Link >= sections.Count) throw new BpfObjectFormatException(".symtab", 0, $"sh_link {symtab.Link} names no string table");
            var strings = new ByteReader(file, sections[symtab.Link].Offset, sections[symtab.Link].Size, sections[symtab.Link].Name);
            var r = new ByteReader(file, symtab.Offset, symtab.Size, symtab.Name);
            var symbols = new List<Symbol>();
            for (long at = 0; at + 24 <= r.Length; at += 24)
            {
                byte info = r.U8(at + 4);
                int section = r.U16(at + 6);
                string name = strings.CString(r.U32(at));
                if ((info & 0xf) == ElfSymbol.TypeSection && section < sections.Count) name = sections[section].Name;
                symbols.Add(new Symbol(name, section, r.U64(at + 8), r.U64(at + 16), (byte)(info & 0xf), (byte)(info >> 4)));
            }
            return symbols;
        }

        private static List<BpfFunctionSpec> ReadFunctions(byte[] file, List<Section> sections, List<Symbol> symbols)
        {
            var functions = new List<BpfFunctionSpec>();
            foreach (var section in sections.Where(s => s.Type == ElfSection.ProgBits && (s.Flags & ElfSection.Exec) != 0 && s.Size > 0))
            {
                Instruction[] code;
                try { code = InstructionEncoding.Decode(new ByteReader(file, section.Offset, section.Size, section.Name).Span(0, section.Size)); }
                catch (InstructionDecodeException e) { throw new BpfObjectFormatException(section.Name, e.Index * 8L, e.Reason); }
                var starts = symbols.Where(s => s.Section == section.Index && s.Type == ElfSymbol.TypeFunc).OrderBy(s => s.Value).ToList();
                if (starts.Count == 0) throw new BpfObjectFormatException(section.Name, 0, "code without a function symbol");
                var relocations = ReadRelocations(file, sections, symbols, section);
                var slotOf = new List<int>();
                int slot = 0;
                foreach (var ins in code) { slotOf.Add(slot); slot += ins.SlotCount; }
                for (int f = 0; f < starts.Count; f++)
                {
                    int first = (int)(starts[f].Value / 8), end = f + 1 < starts.Count ? (int)(starts[f + 1].Value / 8) : slot;
                    var body = code.Where((ins, i) => slotOf[i] >= first && slotOf[i] < end).ToList();
                    var relocs = new List<BpfRelocation>();
                    foreach (var (offset, symbol) in relocations.Where(r => r.Offset / 8 >= first && r.Offset / 8 < end))
                    {
                        int local = (int)(offset / 8) - first;
                        string target = symbol.Name;
                        // clang calls static functions through the .text section symbol with imm = target slot - 1;
                        // name the function instead, with libbpf's imm of -1 for a function symbol.
                        int at = IndexOfSlot(body, local);
                        if (at >= 0 && body[at].IsCall && symbol.Type == ElfSymbol.TypeSection)
                        {
                            ulong targetOffset = symbol.Value + (ulong)((body[at].Immediate + 1L) * 8);
                            target = symbols.FirstOrDefault(s => s.Section == symbol.Section && s.Type == ElfSymbol.TypeFunc && s.Value == targetOffset)?.Name
                                ?? throw new BpfObjectFormatException(section.Name, offset, $"call target {targetOffset} in {symbol.Name} is no function");
                            body[at] = body[at].WithImmediate(-1);
                        }
                        relocs.Add(new BpfRelocation(local, target));
                    }
                    functions.Add(new BpfFunctionSpec(starts[f].Name, section.Name, body.ToArray(), relocs.ToArray()));
                }
            }
            return functions;
        }

        private static int IndexOfSlot(List<Instruction> body, int slot)
        {
            int s = 0;
            for (int i = 0; i < body.Count; i++)
            {
                if (s == slot) return i;
                s += body[i].SlotCount;
            }
            return -1;
        }

        private static List<(long Offset, Symbol Symbol)> ReadRelocations(byte[] file, List<Section> sections, List<Symbol> symbols, Section target)
        {
            var list = new List<(long, Symbol)>();
            foreach (var rel in sections.Where(s => s.Type == ElfSection.Rel && s.Info == target.Index))
            {
                var r = new ByteReader(file, rel.Offset, rel.Size, rel.Name);
                for (long at = 0; at + 16 <= r.Length; at += 16)
                {
                    ulong offset = r.U64(at), info = r.U64(at + 8);
                    ulong symbol = info >> 32;
                    if (symbol >= (ulong)symbols.Count) throw r.Error(at + 8, $"symbol {symbol} does not exist");
                    if (offset % 8 != 0 || offset >= (ulong)target.Size) throw r.Error(at, $"offset {offset} is not an instruction of {target.Name}");
                    list.Add(((long)offset, symbols[(int)symbol]));
                }
            }
            return list;
        }

        private static List<BpfMapSpec> ReadMaps(List<BtfType> types)
        {
            var maps = new List<BpfMapSpec>();
            BtfType Type(int id) => id >= 1 && id <= types.Count ? types[id - 1] : throw new BpfObjectFormatException(".BTF", 0, $"type id {id} does not exist");
            var section = types.OfType<BtfDataSection>().FirstOrDefault(d => d.Name == ".maps");
            if (section == null) return maps;
            foreach (var v in section.Variables)
            {
                if (Type(v.Var) is not BtfVar var || Type(var.Type) is not BtfStruct definition)
                    throw new BpfObjectFormatException(".maps", v.Offset, "a .maps entry is not a variable of struct type");
                uint Number(BtfMember m) => Type(m.Type) is BtfPointer p && Type(p.Target) is BtfArray a ? (uint)a.Count
                    : throw new BpfObjectFormatException(".maps", v.Offset, $"member '{m.Name}' of map '{var.Name}' is not __uint(...)");
                int Pointee(BtfMember m) => Type(m.Type) is BtfPointer p ? p.Target
                    : throw new BpfObjectFormatException(".maps", v.Offset, $"member '{m.Name}' of map '{var.Name}' is not __type(...)");
                uint type = 0, max = 0, flags = 0, pinning = 0;
                int key = 0, value = 0;
                foreach (var m in definition.Members)
                {
                    switch (m.Name)
                    {
                        case "type": type = Number(m); break;
                        case "max_entries": max = Number(m); break;
                        case "map_flags": flags = Number(m); break;
                        case "pinning": pinning = Number(m); break;
                        case "key": key = Pointee(m); break;
                        case "value": value = Pointee(m); break;
                        default: throw new BpfObjectFormatException(".maps", v.Offset, $"map '{var.Name}' uses '{m.Name}', which this reader does not support (type, key, value, max_entries, map_flags, pinning)");
                    }
                }
                maps.Add(new BpfMapSpec(var.Name, type, key, value, (int)max, flags, pinning));
            }
            return maps;
        }

        private static List<BpfGlobalSpec> ReadGlobals(byte[] file, List<Section> sections, List<Symbol> symbols, List<BtfType> types)
        {
            var globals = new List<BpfGlobalSpec>();
            foreach (var data in types.OfType<BtfDataSection>().Where(d => d.Name is ".rodata" or ".data" or ".bss"))
            {
                var section = sections.FirstOrDefault(s => s.Name == data.Name);
                if (section == null) continue;
                foreach (var v in data.Variables)
                {
                    if (v.Var < 1 || v.Var > types.Count || types[v.Var - 1] is not BtfVar var)
                        throw new BpfObjectFormatException(data.Name, v.Offset, "a DATASEC entry is not a variable");
                    // clang leaves every DATASEC offset 0 for the linker to fill in (libbpf takes them from the symbols, as here).
                    var symbol = symbols.FirstOrDefault(sym => sym.Name == var.Name && sym.Section == section.Index);
                    int offset = symbol != null ? (int)symbol.Value : v.Offset;
                    byte[] bytes = section.Type == ElfSection.NoBits ? new byte[v.Size]
                        : new ByteReader(file, section.Offset, section.Size, section.Name).Span(offset, v.Size).ToArray();
                    globals.Add(new BpfGlobalSpec(var.Name, data.Name, var.Type, bytes, offset));
                }
            }
            return globals;
        }
    }
}
