namespace CSharpBpf
{
    /// <summary>The architectures a seccomp filter is compiled for, by the value the kernel puts in
    /// <c>seccomp_data.arch</c> (AUDIT_ARCH_*, include/uapi/linux/audit.h): EM_* machine number | 64-bit | little-endian.</summary>
    public enum SeccompArchitecture : uint
    {
        /// <summary>AUDIT_ARCH_X86_64 (0xC000003E). Its x32 calls carry the same value with bit 30 (0x40000000) set in the number.</summary>
        X86_64 = 0xC000003E,
        /// <summary>AUDIT_ARCH_AARCH64 (0xC00000B7).</summary>
        Arm64 = 0xC00000B7,
    }
}
