using System;
using System.Runtime.InteropServices;

namespace CSharpBpf.Syscalls;

/// <summary>An epoll instance watching descriptors for input (ring and perf buffers' wake-ups).</summary>
public sealed unsafe partial class Epoll : IDisposable
{
    private const int CloseOnExec = 0x80000, Add = 1;
    private const uint In = 1;
    private readonly BpfFileDescriptor _epoll;

    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Event
    {
        public uint Events;
        public ulong Data;
    }

    /// <summary>Watches <paramref name="fds"/>.</summary>
    public Epoll(params BpfFileDescriptor[] fds)
    {
        int epoll = epoll_create1(CloseOnExec);
        if (epoll < 0) throw new BpfException("epoll_create1", Marshal.GetLastPInvokeError());
        _epoll = new BpfFileDescriptor(epoll);
        foreach (var fd in fds)
        {
            var e = new Event { Events = In, Data = (ulong)fd.Value };
            if (epoll_ctl(epoll, Add, fd.Value, &e) != 0) throw new BpfException("epoll_ctl(EPOLL_CTL_ADD)", Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for input; true when some arrived.</summary>
    public bool Wait(int timeoutMilliseconds)
    {
        Event e;
        int n = epoll_wait(_epoll.Value, &e, 1, timeoutMilliseconds);
        if (n < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno == 4) return false; // EINTR
            throw new BpfException("epoll_wait", errno);
        }
        return n > 0;
    }

    /// <summary>Closes the epoll instance.</summary>
    public void Dispose() => _epoll.Dispose();

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int epoll_ctl(int epoll, int op, int fd, void* e);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int epoll_wait(int epoll, void* events, int max, int timeout);
}
