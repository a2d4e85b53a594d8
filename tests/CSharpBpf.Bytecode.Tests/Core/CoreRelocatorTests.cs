using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Core;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Core;

/// <summary>CoreRelocator on small hand-made BTF: module BTF as libbpf searches it, split BTF read on its base.</summary>
public sealed class CoreRelocatorTests
{
    // The object: struct widget { int id; int size; } and `r0 = offsetof(widget, size)` with its CO-RE relocation.
    private static BpfObjectSpec Object(CoreRelocationKind kind = CoreRelocationKind.FieldByteOffset)
    {
        var types = new BtfType[]
        {
            new BtfInt("int", 4, true),
            new BtfStruct("widget", 8, new[] { new BtfMember("id", 1, 0), new BtfMember("size", 1, 32) }),
        };
        var program = new BpfFunctionSpec("prog", "tracepoint/x/y", new[] { Instruction.Mov64(Register.R0, 4), Instruction.Exit() }, Array.Empty<BpfRelocation>());
        return new BpfObjectSpec("GPL", new[] { program }, Array.Empty<BpfMapSpec>(), Array.Empty<BpfGlobalSpec>(), types, Array.Empty<LineInfo>(),
            default, new[] { new CoreRelocation("tracepoint/x/y", 0, 2, "0:1", (int)kind) });
    }

    private static readonly BtfType[] Vmlinux = { new BtfInt("int", 4, true), new BtfStruct("task_struct", 16, new[] { new BtfMember("pid", 1, 0) }) };

    // A module's split BTF: vmlinux's types, then its own; its widget puts size at byte 12.
    private static readonly BtfType[] Module = Vmlinux.Concat(new BtfType[]
    {
        new BtfStruct("widget", 16, new[] { new BtfMember("flags", 1, 0), new BtfMember("id", 1, 32), new BtfMember("size", 1, 96) }),
    }).ToArray();

    [Fact]
    public void What_vmlinux_lacks_is_found_in_a_module()
    {
        var results = new List<CoreRelocationResult>();
        var relocated = new CoreRelocator(Vmlinux, new[] { CoreRelocator.ForModule(Module, Vmlinux.Length + 1) }).Apply(Object(), results);
        Assert.Equal(12, relocated.Functions[0].Instructions[0].Immediate);
        Assert.Equal((4L, (long?)12L), (results.Single().LocalValue, results.Single().TargetValue));
    }

    [Fact]
    public void Without_the_module_the_read_is_poisoned_and_exists_is_0()
    {
        var results = new List<CoreRelocationResult>();
        var relocated = new CoreRelocator(Vmlinux).Apply(Object(), results);
        Assert.Equal(Instruction.CallHelper(CoreRelocator.PoisonHelper), relocated.Functions[0].Instructions[0]);
        Assert.Contains("the kernel's BTF has no widget.size", results.Single().Problem);

        results.Clear();
        var exists = new CoreRelocator(Vmlinux).Apply(Object(CoreRelocationKind.FieldExists), results);
        Assert.Equal(0, exists.Functions[0].Instructions[0].Immediate);
    }

    [Fact]
    public void A_module_type_vmlinux_also_has_is_taken_from_vmlinux()
    {
        // libbpf looks in modules only when vmlinux has no candidate: a vmlinux widget wins over a module's.
        var vmlinux = Vmlinux.Append(new BtfStruct("widget", 8, new[] { new BtfMember("size", 1, 0), new BtfMember("id", 1, 32) })).ToArray();
        var results = new List<CoreRelocationResult>();
        var relocated = new CoreRelocator(vmlinux, new[] { CoreRelocator.ForModule(Module, Vmlinux.Length + 1) }).Apply(Object(), results);
        Assert.Equal(0, relocated.Functions[0].Instructions[0].Immediate);
    }

    [Fact]
    public void Split_btf_continues_its_base_ids_and_string_offsets()
    {
        var table = new BtfTypeTable();
        foreach (var t in Vmlinux) table.Add(t);
        var strings = new BtfStringTable();
        var baseBlob = BtfWriter.Write(table, strings);
        var baseBtf = BtfReader.Read(baseBlob, 0, baseBlob.Length);
        int baseStrings = BitConverter.ToInt32(baseBlob, 20);

        // One STRUCT "gadget" { int w; } whose member refers to base id 1 and whose names follow the base's strings.
        var own = new byte[] { 0, (byte)'g', (byte)'a', (byte)'d', (byte)'g', (byte)'e', (byte)'t', 0, (byte)'w', 0 };
        var types = new List<byte>();
        void U32(int v) => types.AddRange(BitConverter.GetBytes(v));
        U32(baseStrings + 1); U32((4 << 24) | 1); U32(4);    // name, STRUCT with 1 member, size 4
        U32(baseStrings + 8); U32(1); U32(0);                // w: type 1 (base int), bit offset 0
        var split = new List<byte>();
        split.AddRange(new byte[] { 0x9f, 0xeb, 1, 0 });
        foreach (int v in new[] { 24, 0, types.Count, types.Count, own.Length }) split.AddRange(BitConverter.GetBytes(v));
        split.AddRange(types);
        split.AddRange(own);

        var read = BtfReader.Read(split.ToArray(), 0, split.Count, baseBtf).Types;
        Assert.Equal(Vmlinux.Length + 1, read.Count);
        var gadget = Assert.IsType<BtfStruct>(read[Vmlinux.Length]);
        Assert.Equal("gadget", gadget.Name);
        Assert.Equal(new BtfMember("w", 1, 0), gadget.Members.Single());
        Assert.Equal("int", read[gadget.Members[0].Type - 1].Name);
    }
}
