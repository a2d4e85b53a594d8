using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>
/// A perf event array (BPF_MAP_TYPE_PERF_EVENT_ARRAY): one buffer per CPU that <see cref="Output{TContext, T}"/> writes
/// records into; user space reads them with a PerfBufferReader. The ring buffer (<see cref="BpfRingBuffer"/>) is the
/// better choice on kernels since 5.8; this is for older ones and for tools that expect perf buffers.
/// Declare it as a static readonly field of a [BpfObject] class.
/// </summary>
[BpfMapKind(4)]
public sealed class BpfPerfEventArray
{
    private readonly ConcurrentQueue<byte[]> _records = new();

    /// <summary>One buffer per possible CPU (the loader sizes it).</summary>
    public BpfPerfEventArray() { }

    /// <summary>Records waiting to be read (plain .NET only).</summary>
    public int Count => _records.Count;

    /// <summary>Writes <paramref name="value"/> as one record to the current CPU's buffer (bpf_perf_event_output).
    /// Pass the program's context. False when the record could not be written (the buffer is full).</summary>
    public bool Output<TContext, T>(TContext context, in T value) where TContext : class where T : unmanaged
    {
        _records.Enqueue(MemoryMarshal.AsBytes(new System.ReadOnlySpan<T>(in value)).ToArray());
        return true;
    }

    /// <summary>Takes the oldest record (plain .NET only).</summary>
    public bool TryTake(out byte[] record) => _records.TryDequeue(out record!);
}
