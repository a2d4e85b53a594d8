namespace CSharpBpf.Vm;

/// <summary>Limits and hooks of a <see cref="BpfVm"/>.</summary>
public sealed record BpfVmOptions
{
    /// <summary>Executed instructions after which the run stops with an error.</summary>
    public long InstructionBudget { get; init; } = 1_000_000;

    /// <summary>Bytes of stack per frame; the kernel's limit is 512.</summary>
    public int StackSize { get; init; } = 512;

    /// <summary>Call frames including the main program's; the kernel's MAX_CALL_FRAMES is 8.</summary>
    public int MaxCallDepth { get; init; } = 8;

    /// <summary>The default options.</summary>
    public static BpfVmOptions Default { get; } = new();
}
