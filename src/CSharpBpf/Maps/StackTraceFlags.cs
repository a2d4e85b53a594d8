using System;

namespace CSharpBpf;

/// <summary>Flags of <see cref="BpfStackTraceMap.GetStackId{TContext}"/> (bpf_get_stackid). The low 8 bits are a
/// number of frames to skip.</summary>
[Flags]
public enum StackTraceFlags : ulong
{
    /// <summary>The kernel stack.</summary>
    KernelStack = 0,
    /// <summary>The user-space stack of the current task (BPF_F_USER_STACK).</summary>
    UserStack = 1 << 8,
    /// <summary>Compare stacks by hash only (BPF_F_FAST_STACK_CMP).</summary>
    FastCompare = 1 << 9,
    /// <summary>On a hash collision, replace the older stack (BPF_F_REUSE_STACKID).</summary>
    ReuseStackId = 1 << 10,
}
