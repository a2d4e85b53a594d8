using System;

namespace CSharpBpf;

/// <summary>Thrown by <see cref="BpfProgramArray.TailCall{TContext}"/> when run as plain .NET: a successful tail
/// call never returns to its caller, so the called program's result leaves by this exception.</summary>
public sealed class BpfTailCallException : Exception
{
    /// <summary>Carries the result of the program that was tail-called.</summary>
    public BpfTailCallException(int result) : base($"tail call finished with {result}") => Result = result;

    /// <summary>The tail-called program's return value.</summary>
    public int Result { get; }
}
