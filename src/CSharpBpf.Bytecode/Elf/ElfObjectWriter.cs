using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Bytecode.Elf
{
    /// <summary>
    /// Writes a <see cref="BpfObjectSpec"/> as the relocatable ELF64 (EM_BPF, little-endian) that
    /// libbpf, bpftool, ip and tc load: a section per program, .text for subprograms, license,
    /// BTF-defined .maps, global data, .rel sections, .BTF and .BTF.ext, .symtab and .strtab.
    /// </summary>
    public static class ElfObjectWriter
    {
        /// <summary>EM_BPF.</summary>
        public const ushort MachineBpf = 247;
        /// <summary>R_BPF_64_64: lddw of a map or global variable.</summary>
        public const uint RelocationLoad64 = 1;
        /// <summary>R_BPF_64_32: call of a BPF-to-BPF function or a kernel function.</summary>
        public const uint RelocationCall32 = 10;

        /// <summary>Writes the object.</summary>
        public static byte[] Write(BpfObjectSpec spec)
        {
            var builder = new ElfBuilder();
            var strings = new BtfStringTable();
            var types = new BtfTypeTable();
            foreach (var t in spec.Types) types.AddDistinct(t);
            var funcs = new List<FuncInfo>();

            // Functions: .text (subprograms, concatenated) first, then one section per program.
            var symbols = new List<ElfSymbol>();
            var functionSections = new List<(string Name, List<BpfFunctionSpec> Functions)>();
            var subprograms = spec.Functions.Where(f => f.IsSubprogram).ToList();
            if (subprograms.Count > 0) functionSections.Add((".text", subprograms));
            // Programs of the same section share it, one after another, as clang emits them (libbpf loads each by its symbol).
            foreach (var program in spec.Functions.Where(f => !f.IsSubprogram))
            {
                int existing = functionSections.FindIndex(s => s.Name == program.Section);
                if (existing >= 0) functionSections[existing].Functions.Add(program);
                else functionSections.Add((program.Section, new List<BpfFunctionSpec> { program }));
            }

            int voidPointer = types.Add(new BtfPointer(0));
            int intType = types.Add(new BtfInt("int", 4, Signed: true));
            var relocations = new List<(int Section, List<(long Offset, string Symbol, uint Type)>)>();
            foreach (var (name, functions) in functionSections)
            {
                var code = new MemoryStream();
                var sectionRelocations = new List<(long, string, uint)>();
                int index = builder.Count + 1; // the section about to be added
                foreach (var f in functions)
                {
                    long start = code.Length;
                    var bytes = InstructionEncoding.Encode(f.Instructions.ToArray());
                    code.Write(bytes, 0, bytes.Length);
                    // Programs take the context of their kind; subprograms get an empty prototype (their
                    // arguments are the compiler's business and the kernel checks static ones by flow).
                    // A global subprogram brings its own prototype: the kernel verifies it from that alone.
                    int proto = f.Prototype != 0 ? f.Prototype
                        : f.IsSubprogram ? types.Add(new BtfFuncProto(intType, EquatableArray<BtfParameter>.Empty))
                        : types.Add(new BtfFuncProto(intType, new[] { new BtfParameter("ctx", ContextPointer(f.Section, types, voidPointer)) }));
                    bool global = !f.IsSubprogram || f.IsGlobal;
                    int func = types.Add(new BtfFunc(f.Name, proto, global ? BtfLinkage.Global : BtfLinkage.Static));
                    funcs.Add(new FuncInfo(name, (int)start, func));
                    symbols.Add(new ElfSymbol(f.Name, index, (ulong)start, (ulong)bytes.Length, ElfSymbol.TypeFunc, global ? ElfSymbol.BindGlobal : ElfSymbol.BindLocal));
                    var slotOffsets = SlotByteOffsets(f.Instructions);
                    foreach (var r in f.Relocations)
                    {
                        if (!slotOffsets.TryGetValue(r.Slot, out long at))
                            throw new ArgumentException($"relocation of '{r.Symbol}' in {f.Name} points at slot {r.Slot}, which is not an instruction");
                        bool call = InstructionAt(f.Instructions, r.Slot).IsCall;
                        sectionRelocations.Add((start + at, r.Symbol, call ? RelocationCall32 : RelocationLoad64));
                    }
                }
                builder.Add(new ElfSection(name, ElfSection.ProgBits, ElfSection.Alloc | ElfSection.Exec, code.ToArray(), 8));
                if (sectionRelocations.Count > 0) relocations.Add((index, sectionRelocations));
            }

            var license = System.Text.Encoding.ASCII.GetBytes(spec.License + "\0");
            int licenseIndex = builder.Add(new ElfSection("license", ElfSection.ProgBits, ElfSection.Alloc | ElfSection.Write, license, 1));
            symbols.Add(new ElfSymbol("_license", licenseIndex, 0, (ulong)license.Length, ElfSymbol.TypeObject, ElfSymbol.BindGlobal));

            if (spec.Maps.Count > 0) AddMaps(spec, builder, types, intType, symbols);
            foreach (var section in spec.Globals.Select(g => g.Section).Distinct())
                AddGlobals(section, spec.Globals.Where(g => g.Section == section).ToList(), builder, types, symbols);

            // Kernel functions: undefined symbols, declared as extern FUNCs of a .ksyms DATASEC (what libbpf looks them up by).
            if (spec.KernelFunctions.Count > 0)
            {
                var ksyms = new List<BtfSectionVariable>();
                foreach (var k in spec.KernelFunctions)
                {
                    ksyms.Add(new BtfSectionVariable(types.Add(new BtfFunc(k.Name, k.Prototype, BtfLinkage.Extern)), 0, 0));
                    symbols.Add(new ElfSymbol(k.Name, 0, 0, 0, ElfSymbol.TypeNone, ElfSymbol.BindGlobal));
                }
                types.Add(new BtfDataSection(".ksyms", 0, ksyms.ToArray()));
            }

            // .BTF.ext first: its strings go into the .BTF string table.
            var ext = BtfExtWriter.Write(funcs, spec.Lines, spec.CoreRelocations, strings);
            var btf = BtfWriter.Write(types, strings);
            builder.Add(new ElfSection(".BTF", ElfSection.ProgBits, 0, btf, 4));
            builder.Add(new ElfSection(".BTF.ext", ElfSection.ProgBits, 0, ext, 4));

            // Symbols: locals first (sh_info of .symtab is the first global's index).
            var ordered = new List<ElfSymbol> { ElfSymbol.Null };
            ordered.AddRange(symbols.Where(s => s.Bind == ElfSymbol.BindLocal));
            ordered.AddRange(symbols.Where(s => s.Bind != ElfSymbol.BindLocal));
            int firstGlobal = 1 + symbols.Count(s => s.Bind == ElfSymbol.BindLocal);
            int symtabIndex = builder.Count + 1 + relocations.Count;
            foreach (var (target, list) in relocations)
            {
                var rel = new MemoryStream();
                var w = new BinaryWriter(rel);
                foreach (var (offset, symbol, type) in list)
                {
                    int symbolIndex = ordered.FindIndex(s => s.Name == symbol);
                    if (symbolIndex < 0) throw new ArgumentException($"relocation refers to '{symbol}', which is no function, map, global or kernel function of this object");
                    w.Write((ulong)offset);
                    w.Write(((ulong)symbolIndex << 32) | type);
                }
                w.Flush();
                builder.Add(new ElfSection(".rel" + builder.NameOf(target), ElfSection.Rel, 0, rel.ToArray(), 8, symtabIndex, target, 16));
            }
            builder.AddSymbolTable(ordered, firstGlobal);
            return builder.Build();
        }

        /// <summary>A pointer to the context struct the kernel hands a program of this section's kind
        /// (forward-declared: the kernel matches it by name), or void* for kinds without one.</summary>
        private static int ContextPointer(string section, BtfTypeTable types, int voidPointer)
        {
            string? context = section.Split('/')[0] switch
            {
                "xdp" => "xdp_md",
                "tc" or "tcx" or "classifier" or "action" or "socket" or "cgroup_skb" => "__sk_buff",
                _ => null,
            };
            return context == null ? voidPointer : types.Add(new BtfPointer(types.Add(new BtfForward(context))));
        }

        private static Dictionary<int, long> SlotByteOffsets(EquatableArray<Instruction> instructions)
        {
            var offsets = new Dictionary<int, long>();
            int slot = 0;
            foreach (var ins in instructions)
            {
                offsets[slot] = slot * 8L;
                slot += ins.SlotCount;
            }
            return offsets;
        }

        private static Instruction InstructionAt(EquatableArray<Instruction> instructions, int targetSlot)
        {
            int slot = 0;
            foreach (var ins in instructions)
            {
                if (slot == targetSlot) return ins;
                slot += ins.SlotCount;
            }
            throw new ArgumentOutOfRangeException(nameof(targetSlot));
        }

        /// <summary>Each map is a struct of pointers, as libbpf's __uint/__type macros declare it:
        /// <c>int (*type)[TYPE]</c>, <c>KEY *key</c>, <c>VALUE *value</c>, <c>int (*max_entries)[N]</c>, …</summary>
        private static void AddMaps(BpfObjectSpec spec, ElfBuilder builder, BtfTypeTable types, int intType, List<ElfSymbol> symbols)
        {
            int Number(uint value) => types.Add(new BtfPointer(types.Add(new BtfArray(intType, intType, (int)value))));
            var vars = new List<BtfSectionVariable>();
            int offset = 0;
            int mapsIndex = builder.Count + 1;
            foreach (var map in spec.Maps)
            {
                var members = new List<BtfMember> { new BtfMember("type", Number(map.Type), 0) };
                if (map.KeyType != 0) members.Add(new BtfMember("key", types.Add(new BtfPointer(map.KeyType)), 0));
                if (map.ValueType != 0) members.Add(new BtfMember("value", types.Add(new BtfPointer(map.ValueType)), 0));
                members.Add(new BtfMember("max_entries", Number((uint)map.MaxEntries), 0));
                if (map.Flags != 0) members.Add(new BtfMember("map_flags", Number(map.Flags), 0));
                if (map.Pinning != 0) members.Add(new BtfMember("pinning", Number(map.Pinning), 0));
                members = members.Select((m, i) => m with { BitOffset = i * 64 }).ToList();
                int size = members.Count * 8;
                int structType = types.AddDistinct(new BtfStruct("", size, members.ToArray()));
                int var = types.Add(new BtfVar(map.Name, structType, BtfLinkage.Global));
                vars.Add(new BtfSectionVariable(var, offset, size));
                symbols.Add(new ElfSymbol(map.Name, mapsIndex, (ulong)offset, (ulong)size, ElfSymbol.TypeObject, ElfSymbol.BindGlobal));
                offset += size;
            }
            types.Add(new BtfDataSection(".maps", offset, vars.ToArray()));
            builder.Add(new ElfSection(".maps", ElfSection.ProgBits, ElfSection.Alloc | ElfSection.Write, new byte[offset], 8));
        }

        private static void AddGlobals(string section, List<BpfGlobalSpec> globals, ElfBuilder builder, BtfTypeTable types, List<ElfSymbol> symbols)
        {
            var data = new MemoryStream();
            var vars = new List<BtfSectionVariable>();
            int index = builder.Count + 1;
            // Code may address globals through the section symbol plus an offset (clang does), so it exists too.
            symbols.Add(new ElfSymbol(section, index, 0, 0, ElfSymbol.TypeSection, ElfSymbol.BindLocal));
            foreach (var g in globals.OrderBy(g => g.Offset ?? int.MaxValue))
            {
                if (g.Offset is int at && at < data.Length) throw new ArgumentException($"global '{g.Name}' at offset {at} overlaps the previous one in {section}");
                while (g.Offset is int target ? data.Length < target : data.Length % 8 != 0) data.WriteByte(0);
                int offset = (int)data.Length;
                data.Write(g.InitialValue.ToArray(), 0, g.InitialValue.Count);
                int var = types.Add(new BtfVar(g.Name, g.Type, BtfLinkage.Global));
                vars.Add(new BtfSectionVariable(var, offset, g.InitialValue.Count));
                symbols.Add(new ElfSymbol(g.Name, index, (ulong)offset, (ulong)g.InitialValue.Count, ElfSymbol.TypeObject, ElfSymbol.BindGlobal));
            }
            types.Add(new BtfDataSection(section, (int)data.Length, vars.ToArray()));
            uint flags = ElfSection.Alloc | (section == ".rodata" ? 0 : ElfSection.Write);
            builder.Add(new ElfSection(section, section == ".bss" ? ElfSection.NoBits : ElfSection.ProgBits, flags, data.ToArray(), 8));
        }
    }
}
