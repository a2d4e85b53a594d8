using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text;

namespace CSharpBpf.Syscalls;

/// <summary>
/// The rtnetlink requests that attach BPF programs on kernels without BPF links for them: XDP through
/// RTM_SETLINK with IFLA_XDP, and tc through a clsact qdisc with a direct-action cls_bpf filter. Each
/// request waits for the kernel's acknowledgement and turns a refusal into an exception.
/// </summary>
public static unsafe partial class RouteNetlink
{
    private const int AfNetlink = 16, SockRaw = 3, SockCloseOnExec = 0x80000, NetlinkRoute = 0;
    private const ushort Request = 1, Ack = 4, Excl = 0x200, Create = 0x400;
    private const ushort RtmSetLink = 19, RtmNewQdisc = 36, RtmNewFilter = 44, RtmDelFilter = 45, NlmsgError = 2;
    private const ushort IflaXdp = 43, IflaXdpFd = 1, IflaXdpFlags = 3, Nested = 0x8000;
    private const ushort TcaKind = 1, TcaOptions = 2, TcaBpfFd = 6, TcaBpfName = 7, TcaBpfFlags = 8;
    private const uint ClsAct = 0xFFFFFFF1, ClsActHandle = 0xFFFF0000, IngressParent = 0xFFFFFFF2, EgressParent = 0xFFFFFFF3;
    private const uint FilterPriority = 1, FilterHandle = 1;
    private static int sequence;

    /// <summary>Attaches (or, with fd -1, detaches) an XDP program with IFLA_XDP.</summary>
    public static void SetXdp(int ifindex, int programFd, uint modeFlags)
    {
        var message = new Message(RtmSetLink, Request | Ack);
        message.InterfaceInfo(ifindex);
        int nest = message.BeginNested(IflaXdp);
        message.Attribute(IflaXdpFd, BitConverter.GetBytes(programFd));
        message.Attribute(IflaXdpFlags, BitConverter.GetBytes(modeFlags));
        message.EndNested(nest);
        Send(message, programFd < 0 ? $"detaching XDP from interface {ifindex}" : $"attaching XDP to interface {ifindex} over netlink");
    }

    /// <summary>Adds a clsact qdisc to the interface unless it has one; true when this call created it.</summary>
    public static bool EnsureClsAct(int ifindex)
    {
        var message = new Message(RtmNewQdisc, Request | Ack | Create | Excl);
        message.TrafficControl(ifindex, ClsActHandle, ClsAct, 0);
        message.Attribute(TcaKind, Encoding.ASCII.GetBytes("clsact\0"));
        int error = Exchange(message);
        if (error == 0) return true;
        if (error == -17) return false; // EEXIST: already there
        throw new BpfException($"adding a clsact qdisc to interface {ifindex}", -error);
    }

    /// <summary>Attaches a direct-action cls_bpf filter running <paramref name="programFd"/> on ingress or egress.</summary>
    public static void AddBpfFilter(int ifindex, bool egress, int programFd, string name)
    {
        var message = new Message(RtmNewFilter, Request | Ack | Create | Excl);
        message.TrafficControl(ifindex, FilterHandle, egress ? EgressParent : IngressParent, FilterInfo());
        message.Attribute(TcaKind, Encoding.ASCII.GetBytes("bpf\0"));
        int nest = message.BeginNested(TcaOptions);
        message.Attribute(TcaBpfFd, BitConverter.GetBytes(programFd));
        message.Attribute(TcaBpfName, Encoding.ASCII.GetBytes(name + "\0"));
        message.Attribute(TcaBpfFlags, BitConverter.GetBytes(1u)); // TCA_BPF_FLAG_ACT_DIRECT
        message.EndNested(nest);
        Send(message, $"adding a cls_bpf filter on interface {ifindex} {(egress ? "egress" : "ingress")}");
    }

    /// <summary>Removes the filter <see cref="AddBpfFilter"/> added.</summary>
    public static void DeleteBpfFilter(int ifindex, bool egress)
    {
        var message = new Message(RtmDelFilter, Request | Ack);
        message.TrafficControl(ifindex, FilterHandle, egress ? EgressParent : IngressParent, FilterInfo());
        message.Attribute(TcaKind, Encoding.ASCII.GetBytes("bpf\0"));
        Send(message, $"deleting the cls_bpf filter on interface {ifindex}");
    }

    // Priority in the upper half, protocol ETH_P_ALL (network order) in the lower.
    private static uint FilterInfo() => (FilterPriority << 16) | BinaryPrimitives.ReverseEndianness((ushort)0x0003);

    private static void Send(Message message, string what)
    {
        int error = Exchange(message);
        if (error != 0) throw new BpfException(what, -error);
    }

    /// <summary>Sends one request and returns the kernel's answer: 0, or a negative errno.</summary>
    private static int Exchange(Message message)
    {
        int fd = socket(AfNetlink, SockRaw | SockCloseOnExec, NetlinkRoute);
        if (fd < 0) throw new BpfException("opening a netlink socket", Marshal.GetLastPInvokeError());
        using var handle = new BpfFileDescriptor(fd);
        var request = message.ToArray(++sequence);
        fixed (byte* r = request)
            if (send(fd, r, (nuint)request.Length, 0) < 0) throw new BpfException("sending a netlink request", Marshal.GetLastPInvokeError());
        var reply = new byte[8192];
        while (true)
        {
            long length;
            fixed (byte* b = reply) length = recv(fd, b, (nuint)reply.Length, 0);
            if (length < 0) throw new BpfException("reading the netlink reply", Marshal.GetLastPInvokeError());
            for (int at = 0; at + 16 <= length;)
            {
                int size = BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(at));
                if (BinaryPrimitives.ReadUInt16LittleEndian(reply.AsSpan(at + 4)) == NlmsgError)
                    return BinaryPrimitives.ReadInt32LittleEndian(reply.AsSpan(at + 16));
                at += (size + 3) & ~3;
            }
        }
    }

    /// <summary>A netlink message under construction: header, a fixed family header, attributes.</summary>
    private sealed class Message
    {
        private readonly List<byte> _bytes = new();
        private readonly ushort _type, _flags;

        public Message(ushort type, ushort flags)
        {
            _type = type;
            _flags = flags;
        }

        public void InterfaceInfo(int ifindex)
        {
            Append(new byte[4]); // family, pad, type
            Append(BitConverter.GetBytes(ifindex));
            Append(new byte[8]); // flags, change
        }

        public void TrafficControl(int ifindex, uint handle, uint parent, uint info)
        {
            Append(new byte[4]); // family, pads
            Append(BitConverter.GetBytes(ifindex));
            Append(BitConverter.GetBytes(handle));
            Append(BitConverter.GetBytes(parent));
            Append(BitConverter.GetBytes(info));
        }

        public void Attribute(ushort type, byte[] value)
        {
            Append(BitConverter.GetBytes((ushort)(4 + value.Length)));
            Append(BitConverter.GetBytes(type));
            Append(value);
            while (_bytes.Count % 4 != 0) _bytes.Add(0);
        }

        public int BeginNested(ushort type)
        {
            int at = _bytes.Count;
            Append(new byte[2]);
            Append(BitConverter.GetBytes((ushort)(type | Nested)));
            return at;
        }

        public void EndNested(int at)
        {
            var length = BitConverter.GetBytes((ushort)(_bytes.Count - at));
            _bytes[at] = length[0];
            _bytes[at + 1] = length[1];
        }

        public byte[] ToArray(int seq)
        {
            var header = new byte[16];
            BinaryPrimitives.WriteInt32LittleEndian(header, 16 + _bytes.Count);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), _type);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), _flags);
            BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), seq);
            var all = new byte[16 + _bytes.Count];
            header.CopyTo(all, 0);
            _bytes.CopyTo(all, 16);
            return all;
        }

        private void Append(byte[] bytes) => _bytes.AddRange(bytes);
    }

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial long send(int fd, void* buffer, nuint length, int flags);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial long recv(int fd, void* buffer, nuint length, int flags);
}
