namespace CSharpBpf.Bytecode.Btf
{
    /// <summary>func_info: the BTF FUNC describing the function that starts at
    /// <paramref name="InstructionOffset"/> (in bytes within <paramref name="Section"/>, as in object files).</summary>
    public readonly record struct FuncInfo(string Section, int InstructionOffset, int TypeId);

    /// <summary>line_info: the source position of the instruction at <paramref name="InstructionOffset"/>
    /// (bytes), with the line's text so bpftool and the verifier log can show it.</summary>
    public readonly record struct LineInfo(string Section, int InstructionOffset, string FileName, string LineText, int Line, int Column);

    /// <summary>A CO-RE relocation (struct bpf_core_relo): the instruction, the root type, the access
    /// string such as "0:1:2", and the relocation kind (BPF_CORE_FIELD_BYTE_OFFSET = 0, …).</summary>
    public readonly record struct CoreRelocation(string Section, int InstructionOffset, int TypeId, string AccessString, int Kind);
}
