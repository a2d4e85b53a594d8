using System;
using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>
/// A tracepoint program's context: the event's record as tracefs describes it in
/// /sys/kernel/tracing/events/&lt;category&gt;/&lt;name&gt;/format. <typeparamref name="TArgs"/> lays out the fields
/// that follow the 8-byte common header (common_type, common_flags, common_preempt_count, common_pid), so its first
/// field is the format's first non-common field, at offset 8. The kernel keeps the common header from programs (the
/// verifier refuses reads below offset 8): use <see cref="Bpf.GetCurrentPidTgid"/> for the task. `csbpf tracepoint
/// category/name` prints the struct for a tracepoint.
/// </summary>
public sealed class TracepointContext<TArgs> where TArgs : unmanaged
{
    /// <summary>Where the event's own fields start in the record.</summary>
    public const int ArgsOffset = 8;

    private readonly byte[] _record;

    /// <summary>A context over a copy of a record (the common header, then the fields), for running the program as plain .NET.</summary>
    public TracepointContext(ReadOnlySpan<byte> record)
    {
        if (record.Length < ArgsOffset + Marshal.SizeOf<TArgs>())
            throw new ArgumentException($"a {typeof(TArgs).Name} record needs {ArgsOffset + Marshal.SizeOf<TArgs>()} bytes, not {record.Length}", nameof(record));
        _record = record.ToArray();
    }

    /// <summary>A context whose fields are <paramref name="args"/> (and a zero common header).</summary>
    public TracepointContext(TArgs args)
    {
        _record = new byte[ArgsOffset + Marshal.SizeOf<TArgs>()];
        MemoryMarshal.Write(_record.AsSpan(ArgsOffset), in args);
    }

    /// <summary>The event's fields.</summary>
    public TArgs Args => MemoryMarshal.Read<TArgs>(_record.AsSpan(ArgsOffset));
}
