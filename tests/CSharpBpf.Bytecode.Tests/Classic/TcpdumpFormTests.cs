using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Classic;

/// <summary>Our reader and printer of classic BPF against tcpdump's three forms, on programs libpcap compiled from
/// the corpus of filter expressions: offline (Ethernet) and for the live loopback device (ancillary loads, scratch memory).</summary>
public sealed class TcpdumpFormTests
{
    public static IEnumerable<object?[]> Cases() =>
        Tcpdump.Expressions.SelectMany(e => new[] { new object?[] { e, null }, new object?[] { e, "lo" } });

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reads_and_prints_each_form_as_tcpdump_does(string expression, string? device)
    {
        var (listing, cArray, decimalForm) = Tcpdump.Compile(expression, device);
        var program = ClassicProgram.Parse(decimalForm);
        Assert.Equal(program, ClassicProgram.Parse(cArray));
        Assert.Equal(listing, program.ToListing());
        Assert.Equal(cArray, program.ToCArray());
        Assert.Equal(decimalForm, program.ToDecimal());
        Assert.Equal(program, ClassicProgram.Decode(program.Encode()));
        // The listing omits fields an instruction ignores (libpcap leaves garbage in tax's k), so it reads back to the same listing.
        Assert.Equal(listing, ClassicProgram.Parse(listing).ToListing());
        Assert.Empty(program.Validate());
    }

    [Fact]
    public void The_corpus_covers_ancillary_loads_and_scratch_memory()
    {
        var programs = Tcpdump.Expressions.Select(e => ClassicProgram.Parse(Tcpdump.Compile(e, "lo").Decimal)).ToList();
        var codes = programs.SelectMany(p => p).Select(i => i.Code).ToHashSet();
        Assert.Contains(programs.SelectMany(p => p), i => ClassicOffsets.TryGetAncillary(i.K, out _) && i.Mode == ClassicMode.Absolute);
        foreach (var code in new[] { ClassicOpcode.St, ClassicOpcode.LdxMem, ClassicOpcode.LdxMsh, ClassicOpcode.LdLen, ClassicOpcode.Ja, ClassicOpcode.LdHInd })
            Assert.Contains(code, codes);
    }
}
