using System.Runtime.CompilerServices;

namespace CSharpBpf;

/// <summary>One stack in a <see cref="BpfStackTraceMap"/>: up to 127 instruction addresses (PERF_MAX_STACK_DEPTH),
/// innermost first, zero after the last frame.</summary>
[InlineArray(MaxDepth)]
public struct StackTrace
{
    /// <summary>The kernel's default stack depth.</summary>
    public const int MaxDepth = 127;

    private ulong _element;
}
