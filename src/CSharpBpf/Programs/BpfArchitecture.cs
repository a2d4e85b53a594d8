namespace CSharpBpf;

/// <summary>The machine an object's probes run on: it decides where <see cref="PtRegs"/> finds arguments.</summary>
public enum BpfArchitecture
{
    /// <summary>x86-64 (System V calling convention).</summary>
    X64,
    /// <summary>AArch64 (AAPCS64).</summary>
    Arm64,
}
