using System;

namespace CSharpBpf.Bytecode.Asm
{
    /// <summary>Malformed assembly: the message names the line and column (both 1-based) and what was expected.</summary>
    public sealed class AssemblyException : FormatException
    {
        /// <summary>Creates the exception.</summary>
        public AssemblyException(int line, int column, string reason)
            : base($"line {line}, column {column}: {reason}")
        {
            Line = line;
            Column = column;
            Reason = reason;
        }

        /// <summary>1-based line of the error.</summary>
        public int Line { get; }
        /// <summary>1-based column of the error.</summary>
        public int Column { get; }
        /// <summary>What is wrong, without the location.</summary>
        public string Reason { get; }
    }
}
