using System;
using System.Runtime.InteropServices;

namespace CSharpBpf;

/// <summary>
/// The context of a BTF-typed program ([BtfTracepoint], [Fentry], [Fexit], [Lsm], [Iter]): its arguments as the kernel
/// passes them, one 8-byte slot each (u64 *ctx; for an iterator, struct bpf_iter__&lt;target&gt;). <typeparamref name="TArgs"/>
/// lays the slots out: a field per argument at offset 8 × its position, of the argument's type — an integer, or a
/// <see cref="KernelPointer{T}"/> to a <see cref="KernelTypeAttribute"/> struct (the verifier knows its type from BTF).
/// A [Fexit] program's last slot is the function's return value.
/// As plain .NET the arguments are the ones given to the constructor.
/// </summary>
public sealed class TracingContext<TArgs> where TArgs : unmanaged
{
    /// <summary>A context holding <paramref name="args"/>, for running the program as plain .NET.</summary>
    public TracingContext(TArgs args) => Args = args;

    /// <summary>The arguments.</summary>
    public TArgs Args { get; }
}
