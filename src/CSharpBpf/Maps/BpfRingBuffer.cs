using System;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>A ring buffer (BPF_MAP_TYPE_RINGBUF) a program writes records into and user space reads in
/// order. Declare it as a static readonly field of a [BpfObject] class.</summary>
[BpfMapKind(27)]
public sealed class BpfRingBuffer
{
    // Each record costs its length rounded to 8 plus an 8-byte header, as in the kernel.
    private readonly ConcurrentQueue<byte[]> _records = new();
    private int _used;

    /// <summary>A buffer of <paramref name="sizeBytes"/> bytes: a power of two and a multiple of the 4096-byte page.</summary>
    public BpfRingBuffer(int sizeBytes)
    {
        if (sizeBytes < 4096 || (sizeBytes & (sizeBytes - 1)) != 0)
            throw new ArgumentException($"a ring buffer's size must be a power of two of at least 4096 bytes, not {sizeBytes}", nameof(sizeBytes));
        SizeBytes = sizeBytes;
    }

    /// <summary>The buffer's size in bytes.</summary>
    public int SizeBytes { get; }

    /// <summary>Records waiting to be read (plain .NET only).</summary>
    public int Count => _records.Count;

    /// <summary>Copies <paramref name="value"/> in as one record (bpf_ringbuf_output); false when the buffer is full.</summary>
    public bool Output<T>(in T value) where T : unmanaged
    {
        var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)).ToArray();
        int cost = (bytes.Length + 7) / 8 * 8 + 8;
        if (_used + cost > SizeBytes) return false;
        _used += cost;
        _records.Enqueue(bytes);
        return true;
    }

    /// <summary>Takes the oldest record (plain .NET only).</summary>
    public bool TryTake(out byte[] record)
    {
        if (!_records.TryDequeue(out record!)) return false;
        _used -= (record.Length + 7) / 8 * 8 + 8;
        return true;
    }
}
