using System;
using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Bytecode.Classic
{
    /// <summary>A classic program the kernel would refuse; <see cref="Errors"/> lists every rule it breaks
    /// (<see cref="ClassicValidator"/>).</summary>
    public sealed class ClassicProgramException : Exception
    {
        /// <summary>Creates the exception from the validator's findings.</summary>
        public ClassicProgramException(IReadOnlyList<ClassicValidationError> errors)
            : base("the kernel would refuse this classic BPF program:\n  " + string.Join("\n  ", errors.Select(e => e.ToString())))
            => Errors = errors;

        /// <summary>The rules broken, in instruction order.</summary>
        public IReadOnlyList<ClassicValidationError> Errors { get; }
    }
}
