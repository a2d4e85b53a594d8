using System;
using System.Runtime.CompilerServices;

namespace CSharpBpf;

/// <summary>The managed stand-in for a packet: pinned bytes with head- and tailroom, so a context's
/// pointers stay valid and the packet can grow and shrink at both ends as in the kernel.</summary>
internal sealed unsafe class PacketBuffer
{
    private const int Room = 256;
    // The kernel refuses to leave an XDP packet shorter than an Ethernet header (ETH_HLEN).
    private const int MinimumLength = 14;
    // Direct packet access reaches at most MAX_PACKET_OFF (0xffff) bytes past data: the verifier refuses packet pointers
    // further out, so the compiled program fails such reads and writes, and the managed one does too.
    private const int MaxPacketOffset = 0xffff;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;

    public PacketBuffer(ReadOnlySpan<byte> packet)
    {
        _buffer = GC.AllocateArray<byte>(packet.Length + 2 * Room, pinned: true);
        _start = Room;
        _end = Room + packet.Length;
        packet.CopyTo(_buffer.AsSpan(_start));
    }

    public byte* Data => (byte*)Unsafe.AsPointer(ref _buffer[0]) + _start;
    public byte* DataEnd => (byte*)Unsafe.AsPointer(ref _buffer[0]) + _end;
    public int Length => _end - _start;
    public Span<byte> Bytes => _buffer.AsSpan(_start, _end - _start);

    public bool TryRead<T>(int offset, out T value, bool direct = false) where T : unmanaged
    {
        if (!Fits<T>(offset, direct))
        {
            value = default;
            return false;
        }
        value = Unsafe.ReadUnaligned<T>(Data + offset);
        return true;
    }

    public bool TryWrite<T>(int offset, in T value, bool direct = false) where T : unmanaged
    {
        if (!Fits<T>(offset, direct)) return false;
        Unsafe.WriteUnaligned(Data + offset, value);
        return true;
    }

    public ref T GetRefOrNullRef<T>(int offset, bool direct = false) where T : unmanaged
    {
        if (!Fits<T>(offset, direct)) return ref Unsafe.NullRef<T>();
        return ref Unsafe.AsRef<T>(Data + offset);
    }

    private bool Fits<T>(int offset, bool direct) where T : unmanaged =>
        offset >= 0 && offset <= Length - sizeof(T) && (!direct || offset <= MaxPacketOffset - sizeof(T));

    /// <summary>bpf_xdp_adjust_head: a positive delta removes bytes from the front, a negative one adds room there.</summary>
    public bool AdjustHead(int delta)
    {
        int start = _start + delta;
        if (start < 0 || _end - start < MinimumLength) return false;
        _start = start;
        return true;
    }

    /// <summary>bpf_xdp_adjust_tail: a positive delta grows the packet at the end, a negative one trims it.</summary>
    public bool AdjustTail(int delta)
    {
        int end = _end + delta;
        if (end - _start < MinimumLength || end > _buffer.Length) return false;
        if (delta > 0) _buffer.AsSpan(_end, delta).Clear();
        _end = end;
        return true;
    }
}
