using System.Runtime.CompilerServices;

namespace CSharpBpf.Tracing.Tests.Objects;

/// <summary>The kernel's struct open_how (include/uapi/linux/openat2.h).</summary>
public struct OpenHow
{
    public ulong Flags;
    public ulong Mode;
    public ulong Resolve;
}

/// <summary>kprobe and kretprobe on do_sys_openat2, with a kernel stack id per call, the filename read from user memory,
/// the open_how read from kernel memory, and a signal for one magic mode.</summary>
[BpfObject]
public static partial class KernelProbes
{
    static readonly BpfStackTraceMap Stacks = new(1024);
    static readonly BpfHashMap<long, ulong> CallsByStack = new(1024);
    static readonly BpfArray<long> Results = new(1);

    /// <summary>long do_sys_openat2(int dfd, const char __user *filename, struct open_how *how)</summary>
    [Kprobe("do_sys_openat2")]
    public static int OnOpen(PtRegs regs)
    {
        Bpf.ProbeReadUserString(regs.Arg2, out CString256 path);
        if (Bpf.ProbeReadKernel(regs.Arg3, out OpenHow how) == 0 && how.Mode == 0x1ff1) Bpf.SendSignal(10); // SIGUSR1
        long stack = Stacks.GetStackId(regs, StackTraceFlags.KernelStack);
        if (stack < 0) return 0;
        ref ulong count = ref CallsByStack.GetValueRefOrNullRef(stack);
        if (Unsafe.IsNullRef(ref count)) CallsByStack.TryAdd(stack, 1);
        else System.Threading.Interlocked.Increment(ref count);
        return 0;
    }

    [Kretprobe("do_sys_openat2")]
    public static void OnOpenReturn(PtRegs regs)
    {
        // Checked although element 0 always exists: the verifiers of 6.12 and older do not know that (refused in the kernel matrix).
        ref long last = ref Results.GetValueRefOrNullRef(0);
        if (!Unsafe.IsNullRef(ref last)) last = (long)regs.ReturnValue;
    }
}
