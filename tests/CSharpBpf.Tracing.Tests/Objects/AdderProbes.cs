namespace CSharpBpf.Tracing.Tests.Objects;

public struct AddCall
{
    public uint Pid;
    public int A;
    public int B;
    public int Result;
    public uint IsReturn;
}

/// <summary>Probes int add(int a, int b) in tests/fixtures/c/adder.c: its arguments on entry, its result on return.</summary>
[BpfObject]
public static partial class AdderProbes
{
    static readonly BpfRingBuffer Calls = new(64 * 1024);

    [Uprobe("/usr/local/bin/adder", "add")]
    public static int OnAdd(PtRegs regs)
    {
        var call = new AddCall { Pid = (uint)(Bpf.GetCurrentPidTgid() >> 32), A = (int)regs.Arg1, B = (int)regs.Arg2 };
        Calls.Output(call);
        return 0;
    }

    [Uretprobe("/usr/local/bin/adder", "add")]
    public static int OnAddReturn(PtRegs regs)
    {
        var call = new AddCall { Pid = (uint)(Bpf.GetCurrentPidTgid() >> 32), Result = (int)regs.ReturnValue, IsReturn = 1 };
        Calls.Output(call);
        return 0;
    }
}
