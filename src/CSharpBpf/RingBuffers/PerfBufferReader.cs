using System;
using System.Collections.Generic;
using System.Threading;
using CSharpBpf.Loading;
using CSharpBpf.Syscalls;

namespace CSharpBpf.RingBuffers;

/// <summary>
/// Reads a perf event array (BPF_MAP_TYPE_PERF_EVENT_ARRAY) that programs fill with bpf_perf_event_output:
/// one BPF output perf event per CPU, each with its own mmap'ed ring, registered in the map at that CPU's
/// index. Records keep their order within a CPU; records the kernel had to drop are counted in <see cref="Lost"/>.
/// </summary>
public sealed unsafe class PerfBufferReader : BufferReader
{
    private const uint RecordLost = 2, RecordSample = 9;
    private readonly List<(BpfFileDescriptor Event, MemoryMapping Ring)> _cpus = new();
    private readonly Epoll _epoll;
    private readonly long _dataSize;
    private readonly int _pageSize = Environment.SystemPageSize;

    /// <summary>Opens a ring of <paramref name="pagesPerCpu"/> pages (a power of two) per possible CPU.</summary>
    public PerfBufferReader(BpfMap map, int pagesPerCpu = 8)
    {
        if (map.Type != BpfMapType.PerfEventArray) throw new ArgumentException($"map '{map.Name}' is a {map.Type} map, not a perf event array", nameof(map));
        if (pagesPerCpu <= 0 || (pagesPerCpu & (pagesPerCpu - 1)) != 0) throw new ArgumentException("pages per CPU must be a power of two", nameof(pagesPerCpu));
        _dataSize = (long)pagesPerCpu * _pageSize;
        try
        {
            for (int cpu = 0; cpu < Math.Min(map.MaxEntries, BpfMap.PossibleCpus); cpu++)
            {
                var perfEvent = PerfEvent.OpenBpfOutput(cpu);
                _cpus.Add((perfEvent, MemoryMapping.Map(perfEvent, _pageSize + _dataSize, 0, writable: true)));
                map.Update(BitConverter.GetBytes(cpu), BitConverter.GetBytes(perfEvent.Value));
            }
            _epoll = new Epoll(_cpus.ConvertAll(c => c.Event).ToArray());
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Records the kernel dropped because a ring was full.</summary>
    public long Lost { get; private set; }

    /// <summary>Hands every available record of every CPU to <paramref name="handler"/>; returns how many there were.</summary>
    public override int Poll(RecordHandler handler)
    {
        int count = 0;
        byte[]? wrapped = null;
        foreach (var (_, ring) in _cpus)
        {
            byte* page = ring.Address;
            byte* data = page + _pageSize;
            ulong head = Volatile.Read(ref *(ulong*)(page + 1024)); // data_head
            ulong tail = *(ulong*)(page + 1032);                     // data_tail
            while (tail < head)
            {
                long at = (long)(tail % (ulong)_dataSize);
                ushort size = *(ushort*)(data + at + 6);
                byte* record = data + at;
                if (at + size > _dataSize)
                {
                    // The record wraps around the ring's end: copy it out whole.
                    wrapped ??= new byte[65536];
                    long first = _dataSize - at;
                    new ReadOnlySpan<byte>(data + at, (int)first).CopyTo(wrapped);
                    new ReadOnlySpan<byte>(data, size - (int)first).CopyTo(wrapped.AsSpan((int)first));
                    fixed (byte* copy = wrapped) count += Deliver(copy, handler);
                }
                else
                {
                    count += Deliver(record, handler);
                }
                tail += size;
            }
            Volatile.Write(ref *(ulong*)(page + 1032), tail);
        }
        return count;
    }

    private int Deliver(byte* record, RecordHandler handler)
    {
        uint type = *(uint*)record;
        if (type == RecordSample)
        {
            uint length = *(uint*)(record + 8);
            handler(new ReadOnlySpan<byte>(record + 12, (int)length));
            return 1;
        }
        if (type == RecordLost) Lost += (long)*(ulong*)(record + 16);
        return 0;
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for any CPU's ring to signal records.</summary>
    public override bool Wait(int timeoutMilliseconds) => _epoll.Wait(timeoutMilliseconds);

    /// <summary>Closes the events and unmaps their rings.</summary>
    public override void Dispose()
    {
        _epoll?.Dispose();
        foreach (var (perfEvent, ring) in _cpus)
        {
            ring.Dispose();
            perfEvent.Dispose();
        }
        _cpus.Clear();
    }
}
