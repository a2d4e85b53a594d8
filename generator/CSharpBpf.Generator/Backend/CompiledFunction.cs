using System.Collections.Generic;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Generator.Backend
{
    /// <summary>A function after the back end: its instructions, the relocations they need, the source
    /// line of each instruction that starts a new line, and the frame bytes it uses.</summary>
    internal sealed record CompiledFunction(string Name, IReadOnlyList<Instruction> Code, IReadOnlyList<BpfRelocation> Relocations, IReadOnlyList<(int Slot, int Line)> Lines, int FrameSize);
}
