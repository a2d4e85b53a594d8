using System;

namespace CSharpBpf.Vm;

/// <summary>A program stopped the VM: an out-of-bounds access, an exhausted budget, an unknown helper,
/// a call too deep. <see cref="Slot"/> names the instruction (its slot index, as jump offsets count).</summary>
public sealed class BpfVmException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BpfVmException(int slot, string reason) : base($"instruction {slot}: {reason}")
    {
        Slot = slot;
        Reason = reason;
    }

    /// <summary>Slot index of the instruction that stopped the run.</summary>
    public int Slot { get; }

    /// <summary>What went wrong, without the location.</summary>
    public string Reason { get; }
}
