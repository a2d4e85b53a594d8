using System;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>A ring buffer (BPF_MAP_TYPE_RINGBUF) a program writes records into and user space reads in
/// order. Declare it as a static readonly field of a [BpfObject] class.</summary>
[BpfMapKind(27)]
public sealed class BpfRingBuffer
{
    private readonly ConcurrentQueue<byte[]> _records = new();
    private readonly System.Collections.Generic.List<Array> _reserved = new();
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
        int cost = Cost(bytes.Length);
        if (_used + cost > SizeBytes) return false;
        _used += cost;
        _records.Enqueue(bytes);
        return true;
    }

    /// <summary>Reserves room for one <typeparamref name="T"/> and returns a reference to fill in place
    /// (bpf_ringbuf_reserve), or a null ref when the buffer is full: test it with Unsafe.IsNullRef. Every reserved
    /// record must then be passed to <see cref="Submit{T}"/> or <see cref="Discard{T}"/> on every path.</summary>
    public ref T Reserve<T>() where T : unmanaged
    {
        int cost = Cost(Unsafe.SizeOf<T>());
        if (_used + cost > SizeBytes) return ref Unsafe.NullRef<T>();
        _used += cost;
        var box = new T[1];
        lock (_reserved) _reserved.Add(box);
        return ref box[0];
    }

    /// <summary>Publishes a record from <see cref="Reserve{T}"/> (bpf_ringbuf_submit).</summary>
    public void Submit<T>(ref T record) where T : unmanaged
    {
        Release(ref record);
        _records.Enqueue(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in record)).ToArray());
    }

    /// <summary>Gives back a record from <see cref="Reserve{T}"/> unpublished (bpf_ringbuf_discard).</summary>
    public void Discard<T>(ref T record) where T : unmanaged
    {
        Release(ref record);
        _used -= Cost(Unsafe.SizeOf<T>());
    }

    // Each record costs its length rounded to 8 plus an 8-byte header, as in the kernel.
    private static int Cost(int length) => (length + 7) / 8 * 8 + 8;

    private void Release<T>(ref T record) where T : unmanaged
    {
        lock (_reserved)
        {
            int index = -1;
            for (int i = 0; i < _reserved.Count && index < 0; i++)
                if (_reserved[i] is T[] typed && Unsafe.AreSame(ref typed[0], ref record)) index = i;
            if (index < 0) throw new InvalidOperationException("the record was not reserved from this ring buffer, or was already submitted or discarded");
            _reserved.RemoveAt(index);
        }
    }

    /// <summary>Takes the oldest record (plain .NET only).</summary>
    public bool TryTake(out byte[] record)
    {
        if (!_records.TryDequeue(out record!)) return false;
        _used -= Cost(record.Length);
        return true;
    }
}
