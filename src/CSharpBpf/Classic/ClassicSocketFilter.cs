using System.Net.Sockets;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Syscalls;

namespace CSharpBpf.Classic;

/// <summary>Classic BPF on sockets (socket(7) SO_ATTACH_FILTER, SO_LOCK_FILTER, SO_DETACH_FILTER): the kernel runs
/// the program on every packet the socket would receive and keeps the first <c>ret</c> value bytes of it (0 drops
/// it). Works on packet, raw, UDP and TCP sockets.</summary>
public static class ClassicSocketFilter
{
    /// <summary>Attaches <paramref name="program"/> to <paramref name="socket"/>, replacing any filter it had.</summary>
    /// <exception cref="ClassicProgramException">The kernel's rules refuse the program (checked here first, so the
    /// error names the instruction and rule rather than a bare EINVAL).</exception>
    /// <exception cref="BpfException">The kernel refused the attach: EPERM when the filter is locked, ENOMEM beyond
    /// net.core.optmem_max.</exception>
    public static void AttachFilter(this Socket socket, ClassicProgram program)
    {
        var errors = program.Validate();
        if (errors.Count > 0) throw new ClassicProgramException(errors);
        NativeNetwork.AttachClassicFilter(socket, program.Encode(), program.Count);
    }

    /// <summary>Locks the socket's filter: it can no longer be replaced or detached (for a process about to drop privileges).</summary>
    /// <exception cref="BpfException">The kernel refused.</exception>
    public static void LockFilter(this Socket socket) => NativeNetwork.LockFilter(socket);

    /// <summary>Removes the socket's filter (classic or eBPF: SO_DETACH_FILTER is SO_DETACH_BPF).</summary>
    /// <exception cref="BpfException">ENOENT when it has none, EPERM when it is locked.</exception>
    public static void DetachFilter(this Socket socket) => NativeNetwork.DetachSocketFilter(socket);
}
