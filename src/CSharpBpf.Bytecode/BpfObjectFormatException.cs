using System;

namespace CSharpBpf.Bytecode
{
    /// <summary>An object file (ELF, BTF or BTF.ext) that cannot be read: the message names the section and the byte offset.</summary>
    public sealed class BpfObjectFormatException : FormatException
    {
        /// <summary>Creates the exception.</summary>
        public BpfObjectFormatException(string section, long offset, string reason)
            : base($"{section} at offset {offset}: {reason}")
        {
            Section = section;
            Offset = offset;
        }

        /// <summary>The section (or "ELF header", "section headers") being read.</summary>
        public string Section { get; }
        /// <summary>The byte offset within it.</summary>
        public long Offset { get; }
    }
}
