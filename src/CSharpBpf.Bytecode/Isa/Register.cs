namespace CSharpBpf.Bytecode.Isa
{
    /// <summary>The eleven eBPF registers. r0 holds return values, r1–r5 arguments (clobbered by calls),
    /// r6–r9 are callee-saved and r10 is the read-only frame pointer.</summary>
    public enum Register : byte
    {
        /// <summary>Return value of calls and of the program.</summary>
        R0 = 0,
        /// <summary>First argument; the context on entry.</summary>
        R1 = 1,
        /// <summary>Second argument.</summary>
        R2 = 2,
        /// <summary>Third argument.</summary>
        R3 = 3,
        /// <summary>Fourth argument.</summary>
        R4 = 4,
        /// <summary>Fifth argument.</summary>
        R5 = 5,
        /// <summary>Callee-saved.</summary>
        R6 = 6,
        /// <summary>Callee-saved.</summary>
        R7 = 7,
        /// <summary>Callee-saved.</summary>
        R8 = 8,
        /// <summary>Callee-saved.</summary>
        R9 = 9,
        /// <summary>Read-only frame pointer: the top of this function's 512-byte stack.</summary>
        R10 = 10,
    }
}
