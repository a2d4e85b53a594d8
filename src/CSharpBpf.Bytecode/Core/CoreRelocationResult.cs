namespace CSharpBpf.Bytecode.Core
{
    /// <summary>How one relocation was resolved: the function and instruction (index in its instruction list) patched, what
    /// was asked (e.g. <c>task_struct.real_parent</c>), the value the object was compiled with and the kernel's, or null
    /// with <paramref name="Problem"/> when the kernel lacks it and the instruction was poisoned — as libbpf does, so the
    /// verifier refuses the program only if that instruction can run (code behind a <c>FieldExists</c> test cannot).</summary>
    public sealed record CoreRelocationResult(string Function, int Instruction, CoreRelocationKind Kind, string Access, long LocalValue, long? TargetValue, string? Problem);
}
