using System;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace CSharpBpf.Syscalls;

/// <summary>The socket and interface calls attaching needs: interface indexes and SO_ATTACH_BPF.</summary>
public static unsafe partial class NativeNetwork
{
    private const int SolSocket = 1;
    private const int SoAttachBpf = 50;
    private const int SoDetachBpf = 27;

    /// <summary>The index of a network interface, or an exception naming it.</summary>
    public static int InterfaceIndex(string name)
    {
        uint index = if_nametoindex(name);
        if (index == 0) throw new ArgumentException($"no network interface named '{name}'", nameof(name));
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

    [LibraryImport("libc.so.6", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial uint if_nametoindex(string name);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int setsockopt(int socket, int level, int name, void* value, int length);
}
