using System;
using System.Runtime.InteropServices;

namespace CSharpBpf;

// The tracing helpers: reads through pointers a probe was handed, and signals.
public static partial class Bpf
{
    private const long Efault = -14;

    /// <summary>Copies a <typeparamref name="T"/> from user memory at <paramref name="address"/> (bpf_probe_read_user):
    /// 0, or a negative errno with <paramref name="value"/> zeroed. As plain .NET it reads this process's memory.</summary>
    public static long ProbeReadUser<T>(ulong address, out T value) where T : unmanaged
    {
        value = default;
        return ReadOwnMemory(address, MemoryMarshal.AsBytes(new Span<T>(ref value))) < 0 ? Efault : 0;
    }

    /// <summary>Copies a <typeparamref name="T"/> from kernel memory at <paramref name="address"/> (bpf_probe_read_kernel):
    /// 0, or a negative errno. As plain .NET kernel memory cannot be read: it returns -EFAULT with <paramref name="value"/> zeroed.</summary>
    public static long ProbeReadKernel<T>(ulong address, out T value) where T : unmanaged
    {
        value = default;
        return Efault;
    }

    /// <summary>Copies a NUL-terminated string from user memory at <paramref name="address"/> into <paramref name="buffer"/>
    /// (a byte [InlineArray], truncated to fit, always terminated; bpf_probe_read_user_str): the bytes copied with the NUL,
    /// or a negative errno. As plain .NET it reads this process's memory.</summary>
    public static long ProbeReadUserString<T>(ulong address, out T buffer) where T : unmanaged
    {
        buffer = default;
        var bytes = MemoryMarshal.AsBytes(new Span<T>(ref buffer));
        for (int i = 0; i < bytes.Length; i++)
        {
            if (ReadOwnMemory(address + (ulong)i, bytes.Slice(i, 1)) < 0)
            {
                bytes.Clear();
                return Efault;
            }
            if (bytes[i] == 0) return i + 1;
        }
        bytes[^1] = 0;
        return bytes.Length;
    }

    /// <summary>The kernel-memory form of <see cref="ProbeReadUserString{T}"/> (bpf_probe_read_kernel_str). As plain .NET
    /// it returns -EFAULT with <paramref name="buffer"/> zeroed.</summary>
    public static long ProbeReadKernelString<T>(ulong address, out T buffer) where T : unmanaged
    {
        buffer = default;
        return Efault;
    }

    /// <summary>Sends <paramref name="signal"/> to the process of the current task (bpf_send_signal): 0 or a negative errno.</summary>
    public static long SendSignal(uint signal) => kill(Environment.ProcessId, (int)signal) == 0 ? 0 : -Marshal.GetLastPInvokeError();

    // process_vm_readv on ourselves reports a bad address as EFAULT instead of crashing, as the helper does.
    private static unsafe long ReadOwnMemory(ulong address, Span<byte> destination)
    {
        fixed (byte* target = destination)
        {
            var local = new IoVector { Base = (nint)target, Length = (nuint)destination.Length };
            var remote = new IoVector { Base = (nint)address, Length = (nuint)destination.Length };
            long read = process_vm_readv(Environment.ProcessId, &local, 1, &remote, 1, 0);
            return read == destination.Length ? read : -1;
        }
    }

    private struct IoVector
    {
        public nint Base;
        public nuint Length;
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static unsafe partial nint process_vm_readv(int pid, IoVector* local, ulong localCount, IoVector* remote, ulong remoteCount, ulong flags);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    /// <summary>The current task (bpf_get_current_task): a pointer to the kernel's <c>struct task_struct</c>, read through
    /// CO-RE: <c>Bpf.GetCurrentTask&lt;TaskStruct&gt;().Value.RealParent.Value.Tgid</c>. <typeparamref name="TTask"/> is a
    /// <see cref="KernelTypeAttribute"/> struct named task_struct (or a flavour of it). As plain .NET, the pointer set in
    /// <see cref="KernelMemory.CurrentTask"/>.</summary>
    public static KernelPointer<TTask> GetCurrentTask<TTask>() where TTask : unmanaged => new(KernelMemory.CurrentTask);

    /// <summary>Reads <paramref name="field"/>, a field of a kernel struct reached through a <see cref="KernelPointer{T}"/>,
    /// through CO-RE — what any such read does; spelled out as libbpf's BPF_CORE_READ for code ported from C, and refused
    /// at build time when the argument is not such a read. As plain .NET, the value.</summary>
    public static T CoreRead<T>(T field) => field;

    /// <summary>True when the running kernel has the field <paramref name="field"/> reads (libbpf's bpf_core_field_exists):
    /// write the field's access as the argument (<c>Bpf.FieldExists(task.Value.RealParent)</c>); it is not read. A program
    /// that reads a field only where this is true loads on kernels without it. As plain .NET, true.</summary>
    public static bool FieldExists<T>(T field) => true;

    /// <summary>The size in bytes of the field <paramref name="field"/> names in the running kernel (bpf_core_field_size);
    /// the field is not read. As plain .NET, its size here.</summary>
    public static int FieldSize<T>(T field) where T : unmanaged => System.Runtime.CompilerServices.Unsafe.SizeOf<T>();

    /// <summary>True when the running kernel has the type <typeparamref name="T"/> declares (a
    /// <see cref="KernelTypeAttribute"/> struct or enum; bpf_core_type_exists). As plain .NET, true.</summary>
    public static bool TypeExists<T>() where T : unmanaged => true;

    /// <summary>The running kernel's value of the enumerator <paramref name="value"/> (a constant of a
    /// <see cref="KernelTypeAttribute"/> enum; bpf_core_enum_value). As plain .NET, its value here.</summary>
    public static long EnumValue<TEnum>(TEnum value) where TEnum : struct, Enum => Convert.ToInt64(value);
}
