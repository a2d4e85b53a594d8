using System.Collections.Generic;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Generator.Backend
{
    /// <summary>A function after the back end: its instructions, the relocations they need, the source
    /// line of each instruction that starts a new line, and the frame bytes it uses.</summary>
    internal sealed record CompiledFunction(string Name, IReadOnlyList<Instruction> Code, IReadOnlyList<BpfRelocation> Relocations, IReadOnlyList<(int Slot, int Line)> Lines, int FrameSize)
    {
        /// <summary>The instructions whose immediate the loader sets from the kernel's BTF (CO-RE).</summary>
        public IReadOnlyList<CoreSite> CoreRelocations { get; init; } = System.Array.Empty<CoreSite>();
    }

    /// <summary>A CO-RE relocation at an instruction: kind, root type ([KernelType]) and access string ("0:3:1").</summary>
    internal sealed record CoreSite(int Slot, Microsoft.CodeAnalysis.ITypeSymbol Root, string Access, int Kind);
}
