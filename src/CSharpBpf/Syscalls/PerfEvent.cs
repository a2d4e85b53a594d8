using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace CSharpBpf.Syscalls;

/// <summary>perf_event_open(2) for the events BPF programs attach to: tracepoints, kprobes and uprobes.</summary>
public static unsafe partial class PerfEvent
{
    private static readonly long SyscallNumber = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 298,
        Architecture.Arm64 => 241,
        var other => throw new PlatformNotSupportedException($"perf_event_open(2) syscall number unknown for {other}"),
    };

    private const uint TypeSoftware = 1;   // PERF_TYPE_SOFTWARE
    private const uint TypeTracepoint = 2; // PERF_TYPE_TRACEPOINT
    private const ulong BpfOutput = 10;    // PERF_COUNT_SW_BPF_OUTPUT
    private const ulong SampleRaw = 1 << 10; // PERF_SAMPLE_RAW
    private const ulong FlagCloseOnExec = 8; // PERF_FLAG_FD_CLOEXEC

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct Attr
    {
        [FieldOffset(0)] public uint Type;
        [FieldOffset(4)] public uint Size;
        [FieldOffset(8)] public ulong Config;
        [FieldOffset(16)] public ulong SamplePeriod;
        [FieldOffset(24)] public ulong SampleType;
        [FieldOffset(48)] public uint WakeupEvents;
        [FieldOffset(56)] public ulong Config1;
        [FieldOffset(64)] public ulong Config2;
    }

    /// <summary>Opens the event bpf_perf_event_output writes to on <paramref name="cpu"/>, enabled.</summary>
    public static BpfFileDescriptor OpenBpfOutput(int cpu)
    {
        var attr = new Attr { Type = TypeSoftware, Config = BpfOutput, SampleType = SampleRaw, Size = (uint)sizeof(Attr), SamplePeriod = 1, WakeupEvents = 1 };
        long fd = syscall(SyscallNumber, &attr, -1, cpu, -1, FlagCloseOnExec);
        if (fd < 0) throw new BpfException($"perf_event_open of the BPF output event on CPU {cpu}", Marshal.GetLastPInvokeError());
        var descriptor = new BpfFileDescriptor((int)fd);
        if (ioctl((int)fd, 0x2400, 0) != 0) // PERF_EVENT_IOC_ENABLE
        {
            int errno = Marshal.GetLastPInvokeError();
            descriptor.Dispose();
            throw new BpfException($"enabling the BPF output event on CPU {cpu}", errno);
        }
        return descriptor;
    }

    /// <summary>Opens the tracepoint category/name (its id from tracefs), for all processes.</summary>
    public static BpfFileDescriptor OpenTracepoint(string category, string name)
    {
        string idFile = Path.Combine(TracingRoot(), "events", category, name, "id");
        if (!File.Exists(idFile))
            throw new InvalidOperationException($"tracepoint {category}/{name} does not exist: no {idFile} (is tracefs mounted at /sys/kernel/tracing?)");
        ulong id = ulong.Parse(File.ReadAllText(idFile).Trim());
        return Open(new Attr { Type = TypeTracepoint, Config = id }, $"tracepoint {category}/{name}");
    }

    /// <summary>Opens a uprobe (or uretprobe) at <paramref name="offset"/> in <paramref name="binaryPath"/>, in
    /// process <paramref name="pid"/> or all processes (-1). A non-zero <paramref name="referenceCounterOffset"/> is the
    /// file offset of a 16-bit counter (a USDT semaphore) the kernel increments in each process while the probe is
    /// attached (ref_ctr_offset, Linux 4.20+).</summary>
    public static BpfFileDescriptor OpenUprobe(string binaryPath, ulong offset, bool returnProbe, int pid = -1, ulong referenceCounterOffset = 0) =>
        OpenProbe("uprobe", Encoding.UTF8.GetBytes(binaryPath + "\0"), offset, returnProbe, pid, $"uprobe {binaryPath}+0x{offset:x}", referenceCounterOffset);

    /// <summary>Opens a kprobe (or kretprobe) on kernel function <paramref name="function"/>.</summary>
    public static BpfFileDescriptor OpenKprobe(string function, bool returnProbe) =>
        OpenProbe("kprobe", Encoding.ASCII.GetBytes(function + "\0"), 0, returnProbe, -1, $"kprobe {function}");

    private static BpfFileDescriptor OpenProbe(string kind, byte[] target, ulong offset, bool returnProbe, int pid, string what, ulong referenceCounterOffset = 0)
    {
        string device = $"/sys/bus/event_source/devices/{kind}";
        if (!Directory.Exists(device))
            throw new NotSupportedException($"this kernel has no {kind}s ({device} does not exist): it was built without CONFIG_{kind.ToUpperInvariant()}_EVENTS");
        uint type = uint.Parse(File.ReadAllText(Path.Combine(device, "type")).Trim());
        ulong config = 0;
        if (returnProbe)
        {
            // format/retprobe says which config bit marks a return probe, e.g. "config:0".
            string format = File.ReadAllText(Path.Combine(device, "format", "retprobe")).Trim();
            config = 1UL << int.Parse(format.Substring(format.IndexOf(':') + 1));
        }
        if (referenceCounterOffset != 0)
        {
            // format/ref_ctr_offset says where in config the counter's offset goes, e.g. "config:32-63".
            string file = Path.Combine(device, "format", "ref_ctr_offset");
            if (!File.Exists(file)) throw new NotSupportedException($"this kernel's uprobes take no reference counter ({file} does not exist; Linux 4.20+ has it): USDT probes with semaphores cannot be enabled");
            string format = File.ReadAllText(file).Trim();
            int shift = int.Parse(format.Substring(format.IndexOf(':') + 1).Split('-')[0]);
            config |= referenceCounterOffset << shift;
        }
        fixed (byte* t = target)
            return Open(new Attr { Type = type, Config = config, Config1 = (ulong)t, Config2 = offset }, what, pid);
    }

    private static BpfFileDescriptor Open(Attr attr, string what, int pid = -1)
    {
        attr.Size = (uint)sizeof(Attr);
        attr.SamplePeriod = 1;
        attr.WakeupEvents = 1;
        // pid -1 and cpu 0 mean every process; a BPF program on the event runs on every CPU.
        long fd = syscall(SyscallNumber, &attr, pid, pid == -1 ? 0 : -1, -1, FlagCloseOnExec);
        if (fd < 0) throw new BpfException($"perf_event_open of {what}", Marshal.GetLastPInvokeError());
        return new BpfFileDescriptor((int)fd);
    }

    private static string TracingRoot() => Directory.Exists("/sys/kernel/tracing/events") ? "/sys/kernel/tracing" : "/sys/kernel/debug/tracing";

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int ioctl(int fd, ulong request, ulong argument);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial long syscall(long number, void* attr, int pid, int cpu, int groupFd, ulong flags);
}
