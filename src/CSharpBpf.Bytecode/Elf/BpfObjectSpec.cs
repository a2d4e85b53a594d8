using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Bytecode.Elf
{
    // What an eBPF object file holds, as immutable values with structural equality: the compiler
    // builds one, ElfObjectWriter turns it into bytes.

    /// <summary>A reference from an instruction to a symbol: a map, a global variable (both via
    /// lddw, R_BPF_64_64), a subprogram or a kernel function (via call, R_BPF_64_32).</summary>
    public readonly record struct BpfRelocation(int Slot, string Symbol);

    /// <summary>A function: a program in its own section (<c>xdp</c>, <c>tc</c>, <c>tracepoint/…</c>), or a
    /// BPF-to-BPF subprogram when <paramref name="Section"/> is <c>.text</c>.</summary>
    /// <param name="Name">The function's symbol.</param>
    /// <param name="Section">The ELF section it lives in.</param>
    /// <param name="Instructions">Its code.</param>
    /// <param name="Relocations">Its references to maps, globals and subprograms.</param>
    /// <param name="Prototype">Its FUNC_PROTO's id in <see cref="BpfObjectSpec.Types"/> (0: none known; an empty one is made).</param>
    /// <param name="IsGlobal">A global subprogram (BTF_FUNC_GLOBAL): the kernel verifies it once, from its prototype alone.</param>
    public sealed record BpfFunctionSpec(string Name, string Section, EquatableArray<Instruction> Instructions, EquatableArray<BpfRelocation> Relocations,
        int Prototype = 0, bool IsGlobal = false)
    {
        /// <summary>True for BPF-to-BPF subprograms, which live together in .text.</summary>
        public bool IsSubprogram => Section == ".text";
    }

    /// <summary>A BTF-defined map (an entry of .maps). Key and value are ids in <see cref="BpfObjectSpec.Types"/>
    /// (0 for map types without them, such as ring buffers).</summary>
    public sealed record BpfMapSpec(string Name, uint Type, int KeyType, int ValueType, int MaxEntries, uint Flags = 0, uint Pinning = 0);

    /// <summary>A global variable in .rodata, .data or .bss, typed by an id in <see cref="BpfObjectSpec.Types"/>;
    /// placed at <paramref name="Offset"/> when given (code may address it relative to the section), else 8-aligned after the previous one.</summary>
    public sealed record BpfGlobalSpec(string Name, string Section, int Type, EquatableArray<byte> InitialValue, int? Offset = null);

    /// <summary>A kernel function (kfunc) the code calls: an undefined symbol its calls are relocated against, declared in BTF
    /// as an extern FUNC of the <c>.ksyms</c> section with <paramref name="Prototype"/> (an id in <see cref="BpfObjectSpec.Types"/>),
    /// as clang emits <c>extern … __ksym</c>. The loader resolves it by name in the running kernel's BTF.</summary>
    public sealed record BpfKernelFunctionSpec(string Name, int Prototype);

    /// <summary>A whole object: license, functions, maps, globals, the BTF types they use (ids from 1
    /// in this order), the line info that maps instructions to source, the kernel functions it calls, and the CO-RE
    /// relocations (.BTF.ext) the loader resolves against the running kernel's BTF (<see cref="Core.CoreRelocator"/>).</summary>
    public sealed record BpfObjectSpec(
        string License,
        EquatableArray<BpfFunctionSpec> Functions,
        EquatableArray<BpfMapSpec> Maps,
        EquatableArray<BpfGlobalSpec> Globals,
        EquatableArray<BtfType> Types,
        EquatableArray<LineInfo> Lines,
        EquatableArray<BpfKernelFunctionSpec> KernelFunctions = default,
        EquatableArray<CoreRelocation> CoreRelocations = default);
}
