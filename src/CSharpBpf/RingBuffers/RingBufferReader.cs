using System;
using System.Threading;
using CSharpBpf.Loading;
using CSharpBpf.Syscalls;

namespace CSharpBpf.RingBuffers;

/// <summary>
/// Reads a BPF ring buffer (BPF_MAP_TYPE_RINGBUF) from user space: the consumer page mapped writable,
/// the producer page and the data (mapped twice by the kernel, so a record that wraps reads straight)
/// mapped read-only, and epoll for wake-ups. Records come out in the order programs committed them.
/// </summary>
public sealed unsafe class RingBufferReader : BufferReader
{
    private const uint BusyBit = 1u << 31, DiscardBit = 1u << 30;
    private const int HeaderSize = 8;
    private readonly MemoryMapping _consumer;
    private readonly MemoryMapping _producer;
    private readonly Epoll _epoll;
    private readonly ulong _mask;
    private readonly int _pageSize = Environment.SystemPageSize;

    /// <summary>Maps <paramref name="map"/>, which must be a ring buffer.</summary>
    public RingBufferReader(BpfMap map)
    {
        if (map.Type != BpfMapType.RingBuffer) throw new ArgumentException($"map '{map.Name}' is a {map.Type} map, not a ring buffer", nameof(map));
        _mask = (ulong)map.MaxEntries - 1;
        _consumer = MemoryMapping.Map(map.Descriptor, _pageSize, 0, writable: true);
        _producer = MemoryMapping.Map(map.Descriptor, _pageSize + 2L * map.MaxEntries, _pageSize, writable: false);
        _epoll = new Epoll(map.Descriptor);
    }

    private ulong* ConsumerPosition => (ulong*)_consumer.Address;
    private ulong* ProducerPosition => (ulong*)_producer.Address;
    private byte* Data => _producer.Address + _pageSize;

    /// <summary>Hands every committed record to <paramref name="handler"/> and returns how many there were.</summary>
    public override int Poll(RecordHandler handler)
    {
        int count = 0;
        ulong consumer = Volatile.Read(ref *ConsumerPosition);
        while (true)
        {
            ulong producer = Volatile.Read(ref *ProducerPosition);
            if (consumer >= producer) break;
            byte* record = Data + (consumer & _mask);
            uint header = Volatile.Read(ref *(uint*)record);
            if ((header & BusyBit) != 0) break; // reserved, not yet submitted
            uint length = header & ~(BusyBit | DiscardBit);
            if ((header & DiscardBit) == 0)
            {
                handler(new ReadOnlySpan<byte>(record + HeaderSize, (int)length));
                count++;
            }
            consumer += (length + HeaderSize + 7) & ~7u;
            Volatile.Write(ref *ConsumerPosition, consumer);
        }
        return count;
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for the kernel to signal new records.</summary>
    public override bool Wait(int timeoutMilliseconds) => _epoll.Wait(timeoutMilliseconds);

    /// <summary>Unmaps the buffer.</summary>
    public override void Dispose()
    {
        _epoll.Dispose();
        _producer.Dispose();
        _consumer.Dispose();
    }
}
