namespace CSharpBpf.Bytecode.Classic.Seccomp
{
    /// <summary>The kernel's seccomp interface (include/uapi/linux/seccomp.h): struct seccomp_data's layout and the
    /// SECCOMP_RET_* values a filter returns. One copy, for the library, the generator and the classic back end.</summary>
    public static class SeccompAbi
    {
        /// <summary>Offset of seccomp_data.nr (int).</summary>
        public const int NrOffset = 0;
        /// <summary>Offset of seccomp_data.arch (u32, AUDIT_ARCH_*).</summary>
        public const int ArchOffset = 4;
        /// <summary>Offset of seccomp_data.instruction_pointer (u64).</summary>
        public const int InstructionPointerOffset = 8;
        /// <summary>Offset of seccomp_data.args[0] (u64; args[n] at + 8n).</summary>
        public const int ArgsOffset = 16;
        /// <summary>sizeof(struct seccomp_data).</summary>
        public const int DataSize = 64;

#pragma warning disable CS1591 // SECCOMP_RET_* by their kernel names
        public const uint KillProcess = 0x80000000, KillThread = 0x00000000, Trap = 0x00030000, Errno = 0x00050000,
            UserNotify = 0x7fc00000, Trace = 0x7ff00000, Log = 0x7ffc0000, Allow = 0x7fff0000;
#pragma warning restore CS1591
        /// <summary>SECCOMP_RET_ACTION_FULL: the action's bits of a return value.</summary>
        public const uint ActionMask = 0xffff0000;
        /// <summary>SECCOMP_RET_DATA: the data's bits (an errno, a tracer's value).</summary>
        public const uint DataMask = 0x0000ffff;
        /// <summary>__X32_SYSCALL_BIT: set in the number of an x32 call on x86-64.</summary>
        public const uint X32SyscallBit = 0x40000000;
    }
}
