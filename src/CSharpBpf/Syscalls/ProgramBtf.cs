namespace CSharpBpf.Syscalls;

/// <summary>
/// What BPF_PROG_LOAD takes besides the instructions to know a program's source: the object's BTF (loaded), one
/// struct bpf_func_info { u32 insn_off; u32 type_id; } per function of the linked program, and struct bpf_line_info
/// { u32 insn_off; u32 file_name_off; u32 line_off; u32 line_col; } records whose strings are in that BTF
/// (include/uapi/linux/bpf.h). Instruction offsets count 8-byte slots from the program's start.
/// </summary>
internal sealed record ProgramBtf(BpfFileDescriptor Btf, byte[] FuncInfo, byte[] LineInfo)
{
    public const uint FuncInfoSize = 8;
    public const uint LineInfoSize = 16;
}
