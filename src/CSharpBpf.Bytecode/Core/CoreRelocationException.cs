using System;

namespace CSharpBpf.Bytecode.Core
{
    /// <summary>A CO-RE relocation that cannot be resolved against the target BTF in any way a program could use: an
    /// access the kernel's types answer in two different ways, an access string that does not fit the object's own
    /// types, or an instruction the relocation cannot patch. The message names the type and field.</summary>
    public sealed class CoreRelocationException : Exception
    {
        /// <summary>Creates the exception.</summary>
        public CoreRelocationException(string message) : base(message) { }
    }
}
