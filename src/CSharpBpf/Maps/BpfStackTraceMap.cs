using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace CSharpBpf;

/// <summary>
/// Stacks captured by programs (BPF_MAP_TYPE_STACK_TRACE): <see cref="GetStackId{TContext}"/> stores the current stack
/// and returns its id, which programs keep as a key elsewhere (counts per stack); user space reads the addresses by id.
/// Declare it as a static readonly field of a [BpfObject] class.
/// </summary>
[BpfMapKind(7)]
public sealed class BpfStackTraceMap
{
    private readonly Dictionary<uint, StackTrace> _stacks = new();

    /// <summary>A map of <paramref name="maxEntries"/> stacks.</summary>
    public BpfStackTraceMap(int maxEntries) => MaxEntries = maxEntries;

    /// <summary>The capacity.</summary>
    public int MaxEntries { get; }

    /// <summary>Stores the stack of the task the program runs in and returns its id, or a negative errno
    /// (bpf_get_stackid). Pass the program's context. As plain .NET the stack is the calling .NET frames'
    /// method entry points.</summary>
    public long GetStackId<TContext>(TContext context, StackTraceFlags flags = StackTraceFlags.KernelStack) where TContext : class
    {
        var frames = new System.Diagnostics.StackTrace(1 + (int)((ulong)flags & 0xff), false).GetFrames();
        var stack = new StackTrace();
        ulong hash = 14695981039346656037;
        int depth = Math.Min(frames.Length, StackTrace.MaxDepth);
        for (int i = 0; i < depth; i++)
        {
            stack[i] = frames[i].GetMethod() is { } method ? (ulong)method.MethodHandle.GetFunctionPointer() : 0;
            hash = (hash ^ stack[i]) * 1099511628211;
        }
        uint id = (uint)(hash % (ulong)MaxEntries);
        _stacks[id] = stack;
        return id;
    }

    /// <summary>The stack stored under <paramref name="id"/> (plain .NET only).</summary>
    public bool TryGetStack(uint id, out StackTrace stack) => _stacks.TryGetValue(id, out stack);
}
