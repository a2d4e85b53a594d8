using System.Linq;
using CSharpBpf.Bytecode.Btf;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Btf;

/// <summary>Every BTF kind we write reads back equal, and .BTF.ext's three record kinds — func_info,
/// line_info and CO-RE relocations — survive a write and a read.</summary>
public class BtfRoundTripTests
{
    [Fact]
    public void Types_of_every_kind_read_back_equal()
    {
        var table = new BtfTypeTable();
        int u32 = table.Add(new BtfInt("unsigned int", 4, Signed: false));
        int s64 = table.Add(new BtfInt("long long", 8, Signed: true));
        int ptr = table.Add(new BtfPointer(u32));
        int array = table.Add(new BtfArray(u32, u32, 16));
        int header = table.Add(new BtfStruct("header", 16, new[] { new BtfMember("length", u32, 0), new BtfMember("words", array, 32) }));
        table.Add(new BtfStruct("either", 8, new[] { new BtfMember("a", u32, 0), new BtfMember("b", s64, 0) }, IsUnion: true));
        // clang's bitfields: kind_flag with the width in each member's high byte, and old-style INTs narrower than their bytes.
        table.Add(new BtfStruct("flags", 4, new[] { new BtfMember("syn", u32, 1 << 24 | 0), new BtfMember("window", u32, 12 << 24 | 4) }, HasBitfields: true));
        table.Add(new BtfInt("unsigned int", 4, Signed: false, Bits: 3, BitOffset: 5));
        table.Add(new BtfEnum("action", 4, Signed: false, new[] { new BtfEnumValue("PASS", 2), new BtfEnumValue("DROP", 1) }));
        table.Add(new BtfEnum("big", 8, Signed: true, new[] { new BtfEnumValue("MIN", long.MinValue) }));
        int typedef = table.Add(new BtfModifier(BtfKind.Typedef, "header_t", header));
        int constant = table.Add(new BtfModifier(BtfKind.Const, "", typedef));
        table.Add(new BtfModifier(BtfKind.Volatile, "", constant));
        table.Add(new BtfForward("xdp_md"));
        int proto = table.Add(new BtfFuncProto(u32, new[] { new BtfParameter("ctx", ptr) }));
        table.Add(new BtfFunc("filter", proto, BtfLinkage.Global));
        int variable = table.Add(new BtfVar("config", constant, BtfLinkage.Global));
        table.Add(new BtfDataSection(".rodata", 16, new[] { new BtfSectionVariable(variable, 0, 16) }));

        byte[] bytes = BtfWriter.Write(table, new BtfStringTable());
        var read = BtfReader.Read(bytes, 0, bytes.Length);

        Assert.Equal(table.Types, read.Types);
    }

    [Fact]
    public void Func_line_and_core_records_read_back_equal()
    {
        var strings = new BtfStringTable();
        var funcs = new[] { new FuncInfo("xdp", 0, 3), new FuncInfo(".text", 0, 5), new FuncInfo(".text", 64, 6) };
        var lines = new[] { new LineInfo("xdp", 0, "Firewall.cs", "return XdpAction.Pass;", 12, 9), new LineInfo(".text", 8, "Firewall.cs", "x++;", 1023, 1023) };
        var core = new[] { new CoreRelocation("xdp", 16, 2, "0:1:2", 0), new CoreRelocation("xdp", 24, 2, "0", 8) };

        byte[] ext = BtfExtWriter.Write(funcs, lines, core, strings);
        byte[] btf = BtfWriter.Write(new BtfTypeTable(), strings);
        var read = BtfExtReader.Read(ext, 0, ext.Length, BtfReader.Read(btf, 0, btf.Length));

        Assert.Equal(funcs, read.Funcs.ToArray());
        Assert.Equal(lines, read.Lines.ToArray());
        Assert.Equal(core, read.CoreRelocations.ToArray());
    }
}
