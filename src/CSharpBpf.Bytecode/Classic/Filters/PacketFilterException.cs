using System;

namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>A filter expression that cannot be compiled: <see cref="Column"/> (1-based) points at the token, the
    /// message says what was expected there, as libpcap's errors do but with the place.</summary>
    public sealed class PacketFilterException : FormatException
    {
        /// <summary>Creates the exception.</summary>
        public PacketFilterException(int column, string reason)
            : base($"column {column}: {reason}")
        {
            Column = column;
            Reason = reason;
        }

        /// <summary>1-based column of the offending token in the expression.</summary>
        public int Column { get; }
        /// <summary>What is wrong, without the place.</summary>
        public string Reason { get; }
    }
}
