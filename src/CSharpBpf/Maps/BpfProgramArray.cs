using System;

namespace CSharpBpf;

/// <summary>A program array (BPF_MAP_TYPE_PROG_ARRAY) for tail calls. Declare it as a static readonly field of a [BpfObject] class.</summary>
[BpfMapKind(3)]
public sealed class BpfProgramArray
{
    private readonly Delegate?[] _programs;

    /// <summary>An array of <paramref name="maxEntries"/> program slots.</summary>
    public BpfProgramArray(int maxEntries)
    {
        MaxEntries = maxEntries;
        _programs = new Delegate?[maxEntries];
    }

    /// <summary>The number of slots.</summary>
    public int MaxEntries { get; }

    /// <summary>Puts a program in a slot (plain .NET; from user space the loader fills the kernel's array).</summary>
    public void Register<TContext>(uint index, Func<TContext, int> program) where TContext : class => _programs[index] = program;

    /// <summary>Jumps to the program in slot <paramref name="index"/>; returns only when the slot is empty.
    /// As plain .NET the called program runs and its result is thrown as <see cref="BpfTailCallException"/>.</summary>
    public void TailCall<TContext>(TContext context, uint index) where TContext : class
    {
        if (index >= (uint)_programs.Length || _programs[index] is not Func<TContext, int> program) return;
        throw new BpfTailCallException(program(context));
    }
}
