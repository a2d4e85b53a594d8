using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CSharpBpf.Syscalls;

/// <summary>The socket and interface calls attaching needs: interface indexes, SO_ATTACH_BPF and the classic
/// SO_ATTACH_FILTER / SO_LOCK_FILTER.</summary>
public static unsafe partial class NativeNetwork
{
    private const int SolSocket = 1;
    private const int SoAttachBpf = 50;
    private const int SoDetachBpf = 27;
    private const int SoAttachFilter = 26;
    private const int SoLockFilter = 44;

    /// <summary>The index of a network interface, or an exception naming it.</summary>
    public static int InterfaceIndex(string name)
    {
        uint index = if_nametoindex(name);
        if (index == 0) throw new ArgumentException($"no network interface named '{name}' (see `ip link`)");
        return (int)index;
    }

    /// <summary>Attaches a socket filter program to <paramref name="socket"/> (SO_ATTACH_BPF).</summary>
    public static void AttachSocketFilter(Socket socket, BpfFileDescriptor program)
    {
        int fd = program.Value;
        if (setsockopt((int)socket.SafeHandle.DangerousGetHandle(), SolSocket, SoAttachBpf, &fd, sizeof(int)) != 0)
            throw new BpfException("setsockopt(SO_ATTACH_BPF)", Marshal.GetLastPInvokeError());
    }

    /// <summary>Removes the socket filter from <paramref name="socket"/> (SO_DETACH_BPF).</summary>
    public static void DetachSocketFilter(Socket socket)
    {
        int unused = 0;
        if (setsockopt((int)socket.SafeHandle.DangerousGetHandle(), SolSocket, SoDetachBpf, &unused, sizeof(int)) != 0)
            throw new BpfException("setsockopt(SO_DETACH_BPF)", Marshal.GetLastPInvokeError());
    }

    /// <summary>Attaches a classic program (SO_ATTACH_FILTER: struct sock_fprog { u16 len; struct sock_filter *filter; }).</summary>
    public static void AttachClassicFilter(Socket socket, ReadOnlySpan<byte> encodedProgram, int instructionCount)
    {
        fixed (byte* filter = encodedProgram)
        {
            var fprog = new SockFprog { Length = (ushort)instructionCount, Filter = filter };
            if (setsockopt((int)socket.SafeHandle.DangerousGetHandle(), SolSocket, SoAttachFilter, &fprog, sizeof(SockFprog)) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                throw errno switch
                {
                    1 => BpfException.WithCause("setsockopt(SO_ATTACH_FILTER)", errno, "EPERM: the socket's filter is locked (SO_LOCK_FILTER); it cannot be replaced or removed"),
                    12 => BpfException.WithCause("setsockopt(SO_ATTACH_FILTER)", errno, "ENOMEM: the filter exceeds the socket's option memory (net.core.optmem_max)"),
                    _ => new BpfException("setsockopt(SO_ATTACH_FILTER)", errno),
                };
            }
        }
    }

    /// <summary>Locks the socket's filter (SO_LOCK_FILTER): from now on it cannot be replaced or removed.</summary>
    public static void LockFilter(Socket socket)
    {
        int one = 1;
        if (setsockopt((int)socket.SafeHandle.DangerousGetHandle(), SolSocket, SoLockFilter, &one, sizeof(int)) != 0)
            throw new BpfException("setsockopt(SO_LOCK_FILTER)", Marshal.GetLastPInvokeError());
    }

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint if_nametoindex(string name);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int setsockopt(int socket, int level, int name, void* value, int length);
}
