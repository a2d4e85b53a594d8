using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace CSharpBpf.RingBuffers;

/// <summary>What the ring-buffer and perf-buffer readers share: records by callback (<see cref="Poll"/>), a wait for
/// the kernel's wake-up, and records as an async stream of the C# struct the program wrote.</summary>
public abstract class BufferReader : IDisposable
{
    /// <summary>Hands every available record to <paramref name="handler"/>; returns how many there were.</summary>
    public abstract int Poll(RecordHandler handler);

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for the kernel to signal new records.</summary>
    public abstract bool Wait(int timeoutMilliseconds);

    /// <summary>Every record as a <typeparamref name="T"/> (read from the record's start; shorter records are refused), until cancelled.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync<T>([EnumeratorCancellation] CancellationToken cancellationToken = default) where T : unmanaged
    {
        var batch = new List<T>();
        while (!cancellationToken.IsCancellationRequested)
        {
            Poll(record =>
            {
                if (record.Length < Unsafe.SizeOf<T>()) throw new InvalidOperationException($"a {record.Length}-byte record is shorter than {typeof(T).Name} ({Unsafe.SizeOf<T>()} bytes)");
                batch.Add(MemoryMarshal.Read<T>(record));
            });
            foreach (var item in batch) yield return item;
            if (batch.Count == 0) await Task.Run(() => Wait(100), cancellationToken).ConfigureAwait(false);
            batch.Clear();
        }
    }

    /// <summary>Releases the mappings and descriptors.</summary>
    public abstract void Dispose();
}
