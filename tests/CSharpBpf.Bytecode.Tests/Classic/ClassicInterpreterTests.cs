using System;
using CSharpBpf.Bytecode.Classic;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Classic;

/// <summary>The kernel's semantics where they differ from a naive reading of the ISA (the kernel itself checks the
/// interpreter on random programs in CSharpBpf.Kernel.Tests).</summary>
public sealed class ClassicInterpreterTests
{
    private static uint Run(string listing, byte[] frame, Func<ClassicPacket, ClassicPacket>? with = null)
    {
        var packet = new ClassicPacket(frame) { NetworkHeaderOffset = 14 };
        return new ClassicInterpreter(ClassicAssembler.Assemble(listing)).Run(with?.Invoke(packet) ?? packet);
    }

    [Fact]
    public void A_load_past_the_packet_ends_the_program_with_0()
    {
        Assert.Equal(0u, Run("ld #7\nldh [3]\nret #99", new byte[4]));
        Assert.Equal(99u, Run("ld #7\nldh [2]\nret #99", new byte[4]));
        Assert.Equal(99u, Run("ldx #0xffffffff\nldb [x + 1]\nret #99", new byte[4])); // X + k wraps to 0: in the packet
        Assert.Equal(0u, Run("ldx #0xfffffffe\nldb [x + 1]\nret #99", new byte[4])); // -1: before the packet
        Assert.Equal(0u, Run("ldxb 4*([9]&0xf)\nret #99", new byte[4]));
    }

    [Fact]
    public void Division_by_a_zero_x_ends_the_program_with_0()
    {
        Assert.Equal(0u, Run("ld #10\nldx #0\ndiv x\nret #5", new byte[1]));
        Assert.Equal(0u, Run("ld #10\nldx #0\nmod x\nret #5", new byte[1]));
        Assert.Equal(3u, Run("ld #10\nldx #3\ndiv x\nret a", new byte[1]));
    }

    [Fact]
    public void Shifts_by_x_use_its_low_five_bits_and_arithmetic_wraps_at_32_bits()
    {
        Assert.Equal(2u, Run("ld #1\nldx #33\nlsh x\nret a", new byte[1]));
        Assert.Equal(0xfffffffeu, Run("ld #2\nneg\nret a", new byte[1]));
        Assert.Equal(0u, Run("ld #0xffffffff\nadd #1\nret a", new byte[1]));
    }

    [Fact]
    public void Header_relative_loads_count_from_the_network_and_link_layer_headers()
    {
        var frame = new byte[20];
        frame[0] = 0xaa;
        frame[15] = 0xbb;
        Assert.Equal(0xbbu, Run("ldb [-1048575]\nret a", frame));  // SKF_NET_OFF + 1
        Assert.Equal(0xaau, Run("ldb [-2097152]\nret a", frame));  // SKF_LL_OFF
        Assert.Equal(0u, Run("ldb [-2097153]\nret #1", frame));    // below SKF_LL_OFF: no such address
    }

    [Fact]
    public void Ancillary_loads_read_the_packet_context_whatever_their_width()
    {
        var frame = new byte[60];
        frame[12] = 0x81; // a VLAN tag, moved into the metadata as the kernel does on receive
        frame[14] = 0x20;
        frame[15] = 0x0a;
        frame[16] = 0x08;
        var packet = ClassicPacket.Ethernet(frame);
        uint Read(string field) => new ClassicInterpreter(ClassicAssembler.Assemble($"ldb [{field}]\nret a")).Run(packet);
        Assert.Equal(0x0800u, Read("proto"));
        Assert.Equal(1u, Read("vlanp"));
        Assert.Equal(0x200au, Read("vlan_tci"));
        Assert.Equal(0u, Read("type")); // to 00:00:00:00:00:00, loopback's own address: PACKET_HOST
        Assert.Equal(56u, new ClassicInterpreter(ClassicAssembler.Assemble("ld #pktlen\nret a")).Run(packet));
        Assert.Equal(6u, Run("ld #5\nldx #3\nld [xor_x]\nret a", new byte[1]));
        Assert.Equal(77u, Run("ld [mark]\nret a", new byte[1], p => p with { Mark = 77 }));
    }

    [Fact]
    public void Netlink_attribute_loads_find_attributes_as_nla_find_does()
    {
        // Two attributes at offset 0: type 1 (length 5, padded to 8), type 2 (length 12) holding nested type 7 at 12.
        var message = new byte[] { 5, 0, 1, 0, 9, 0, 0, 0, 12, 0, 2, 0, 8, 0, 7, 0, 1, 2, 3, 4 };
        Assert.Equal(8u, Run("ld #0\nldx #2\nld [nla]\nret a", message));
        Assert.Equal(0u, Run("ld #0\nldx #3\nld [nla]\nret a", message));
        Assert.Equal(12u, Run("ld #8\nldx #7\nld [nlan]\nret a", message));
        Assert.Equal(0u, Run("ld #17\nldx #1\nld [nla]\nret a", message)); // fewer than 4 bytes left
    }

    [Fact]
    public void Programs_the_kernel_would_refuse_are_refused_with_every_rule_they_break()
    {
        var error = Assert.Throws<ClassicProgramException>(() => new ClassicInterpreter(ClassicAssembler.Assemble("ld M[1]\ndiv #0")));
        Assert.Equal(new[] { "scratch read before write", "division by zero", "last instruction" }, Array.ConvertAll(System.Linq.Enumerable.ToArray(error.Errors), e => e.Rule));
        Assert.Contains("instruction 1: 'div #0' divides by the constant 0", error.Message);
    }
}
