using System.Runtime.CompilerServices;

namespace CSharpBpf.Tracing.Tests.Objects;

/// <summary>One do_sys_openat2 call as a program read its arguments.</summary>
public struct OpenCall
{
    public long Dfd;
    public ulong Flags;
    public ulong Mode;
    public CString128 Path;
}

/// <summary>do_sys_openat2 seen twice over — kprobe/kretprobe reading the registers (PtRegs) and fentry/fexit reading
/// the arguments the kernel's BTF types — for one command name, each call in order in its own slot.</summary>
[BpfObject]
public static partial class OpenArgumentProbes
{
    const uint Slots = 64;
    const uint Kprobe = 0, Fentry = 1, Kretprobe = 2, Fexit = 3;

    static readonly BpfArray<OpenCall> ByKprobe = new(maxEntries: 64);
    static readonly BpfArray<OpenCall> ByFentry = new(maxEntries: 64);
    static readonly BpfArray<long> ResultByKretprobe = new(maxEntries: 64);
    static readonly BpfArray<long> ResultByFexit = new(maxEntries: 64);

    /// <summary>Calls seen by the kprobe, fentry, kretprobe and fexit programs.</summary>
    static readonly BpfArray<long> Counts = new(maxEntries: 4);

    /// <summary>The command whose opens are recorded (set before load).</summary>
    static readonly Comm Target = default;

    /// <summary>The next slot of <paramref name="program"/>'s record, or <see cref="Slots"/> when it is full. Not atomic:
    /// the target is one single-threaded process.</summary>
    static uint NextSlot(uint program)
    {
        if (!Bpf.GetCurrentComm(out Comm comm) || comm != Target) return Slots;
        ref long count = ref Counts.GetValueRefOrNullRef(program);
        if (Unsafe.IsNullRef(ref count)) return Slots;
        long slot = count;
        if (slot >= Slots) return Slots;
        count = slot + 1;
        return (uint)slot;
    }

    /// <summary>long do_sys_openat2(int dfd, const char __user *filename, struct open_how *how)</summary>
    [Kprobe("do_sys_openat2")]
    public static int OnEntryKprobe(PtRegs regs)
    {
        ref OpenCall call = ref ByKprobe.GetValueRefOrNullRef(NextSlot(Kprobe));
        if (Unsafe.IsNullRef(ref call)) return 0;
        call.Dfd = (int)regs.Arg1;
        Bpf.ProbeReadUserString(regs.Arg2, out CString128 path);
        call.Path = path;
        if (Bpf.ProbeReadKernel(regs.Arg3, out OpenHow how) == 0)
        {
            call.Flags = how.Flags;
            call.Mode = how.Mode;
        }
        return 0;
    }

    [Fentry("do_sys_openat2")]
    public static int OnEntryFentry(TracingContext<OpenatArgs> ctx)
    {
        ref OpenCall call = ref ByFentry.GetValueRefOrNullRef(NextSlot(Fentry));
        if (Unsafe.IsNullRef(ref call)) return 0;
        call.Dfd = ctx.Args.Dfd;
        Bpf.ProbeReadUserString(ctx.Args.Filename, out CString128 path);
        call.Path = path;
        if (Bpf.ProbeReadKernel(ctx.Args.How, out OpenHow how) == 0)
        {
            call.Flags = how.Flags;
            call.Mode = how.Mode;
        }
        return 0;
    }

    [Kretprobe("do_sys_openat2")]
    public static int OnReturnKretprobe(PtRegs regs)
    {
        ref long result = ref ResultByKretprobe.GetValueRefOrNullRef(NextSlot(Kretprobe));
        if (!Unsafe.IsNullRef(ref result)) result = (long)regs.ReturnValue;
        return 0;
    }

    [Fexit("do_sys_openat2")]
    public static int OnReturnFexit(TracingContext<OpenatArgs> ctx)
    {
        ref long result = ref ResultByFexit.GetValueRefOrNullRef(NextSlot(Fexit));
        if (!Unsafe.IsNullRef(ref result)) result = ctx.Args.Result;
        return 0;
    }
}
