namespace CSharpBpf.Compiler.Tests.Behaviour;

/// <summary>What one run of a program on one frame produced: r0 as the kernel reports it (32 bits) and
/// the packet afterwards (null where the runner cannot observe it).</summary>
public sealed record RunResult(uint ReturnValue, byte[]? Packet)
{
    public override string ToString() => $"r0={ReturnValue} (0x{ReturnValue:x}) packet={(Packet == null ? "-" : System.Convert.ToHexString(Packet))}";
}
