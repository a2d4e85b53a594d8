using System.Runtime.InteropServices;

namespace CSharpBpf.Syscalls;

/// <summary>struct sock_fprog (include/uapi/linux/filter.h): a classic program's instruction count and a pointer to its
/// 8-byte sock_filter entries, as SO_ATTACH_FILTER and seccomp(SECCOMP_SET_MODE_FILTER) take it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SockFprog
{
    public ushort Length;
    public byte* Filter;
}
