using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CSharpBpf.Tracing.Tests.Objects;

/// <summary>A TArgs larger than syscalls/sys_enter_getppid's record (which has only __syscall_nr), as a stale or
/// mistyped struct would be.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct TooLargeArgs
{
    [FieldOffset(56)] public ulong BeyondTheRecord;
}

[BpfObject]
public static partial class OversizedArgs
{
    static readonly BpfArray<ulong> Seen = new(1);

    [Tracepoint("syscalls", "sys_enter_getppid")]
    public static void OnGetppid(TracepointContext<TooLargeArgs> ctx)
    {
        // Checked although element 0 always exists: the verifiers of 6.12 and older do not know that (refused in the kernel matrix).
        ref ulong seen = ref Seen.GetValueRefOrNullRef(0);
        if (!Unsafe.IsNullRef(ref seen)) seen = ctx.Args.BeyondTheRecord;
    }
}
