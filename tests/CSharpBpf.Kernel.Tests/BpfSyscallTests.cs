using CSharpBpf.Testing;
using System;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Syscalls;
using Xunit;

namespace CSharpBpf.Kernel.Tests;

/// <summary>The bpf(2) layer against the real kernel.</summary>
public class BpfSyscallTests
{
    [KernelFact]
    public void Array_map_update_and_lookup_round_trip()
    {
        using var map = BpfSyscall.MapCreate(BpfMapType.Array, 4, 8, 4, name: "roundtrip");
        BpfSyscall.MapUpdate(map, BitConverter.GetBytes(2), BitConverter.GetBytes(0x1122334455667788UL));
        var value = new byte[8];
        Assert.True(BpfSyscall.MapLookup(map, BitConverter.GetBytes(2), value));
        Assert.Equal(0x1122334455667788UL, BitConverter.ToUInt64(value));
        Assert.False(BpfSyscall.MapLookup(map, BitConverter.GetBytes(9), value)); // past max_entries: ENOENT
    }

    [KernelFact]
    public void Hash_map_lookup_of_a_missing_key_is_false()
    {
        using var map = BpfSyscall.MapCreate(BpfMapType.Hash, 4, 4, 8, name: "missing");
        Assert.False(BpfSyscall.MapLookup(map, BitConverter.GetBytes(1), new byte[4]));
    }

    [KernelFact]
    public void An_xdp_program_loads_and_test_runs()
    {
        var program = InstructionEncoding.Encode(Assembler.Assemble("mov %r0, 2\nexit"));
        using var fd = BpfSyscall.ProgLoad(BpfProgramType.Xdp, program, name: "pass");
        var run = BpfSyscall.ProgTestRun(fd, new byte[64], repeat: 10);
        Assert.Equal(2u, run.ReturnValue);
        Assert.Equal(64, run.DataOut.Length);
    }

    [KernelFact]
    public void A_refused_program_carries_the_verifier_log()
    {
        var program = InstructionEncoding.Encode(Assembler.Assemble("or %r0, %r10\nexit"));
        var error = Assert.Throws<BpfException>(() => BpfSyscall.ProgLoad(BpfProgramType.Xdp, program, name: "bad"));
        Assert.Equal(13, error.Errno); // EACCES
        Assert.Contains("R0 !read_ok", error.VerifierLog);
        Assert.Contains("BPF_PROG_LOAD of Xdp program 'bad'", error.Message);
    }

    [KernelFact]
    public void Verifier_statistics_are_available_on_success()
    {
        var program = InstructionEncoding.Encode(Assembler.Assemble("mov %r0, 1\nexit"));
        using var fd = BpfSyscall.ProgLoad(BpfProgramType.SocketFilter, program, out string log, name: "stats");
        Assert.Contains("processed 2 insns", log);
    }
}
