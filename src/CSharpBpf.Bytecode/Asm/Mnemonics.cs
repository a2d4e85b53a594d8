using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Bytecode.Asm
{
    /// <summary>The mnemonic spellings of the conformance suite's assembly syntax, shared by the
    /// assembler and the disassembler so the two cannot drift apart.</summary>
    public static class Mnemonics
    {
        /// <summary>Name of an ALU operation without the 32 suffix; signed div/mod by offset 1.</summary>
        public static string Alu(AluOperation op, bool signed) => op switch
        {
            AluOperation.Add => "add",
            AluOperation.Sub => "sub",
            AluOperation.Mul => "mul",
            AluOperation.Div => signed ? "sdiv" : "div",
            AluOperation.Or => "or",
            AluOperation.And => "and",
            AluOperation.Lsh => "lsh",
            AluOperation.Rsh => "rsh",
            AluOperation.Neg => "neg",
            AluOperation.Mod => signed ? "smod" : "mod",
            AluOperation.Xor => "xor",
            AluOperation.Mov => "mov",
            AluOperation.Arsh => "arsh",
            _ => "end",
        };

        /// <summary>Name of a jump operation without the 32 suffix.</summary>
        public static string Jump(JumpOperation op) => op switch
        {
            JumpOperation.Ja => "ja",
            JumpOperation.Jeq => "jeq",
            JumpOperation.Jgt => "jgt",
            JumpOperation.Jge => "jge",
            JumpOperation.Jset => "jset",
            JumpOperation.Jne => "jne",
            JumpOperation.Jsgt => "jsgt",
            JumpOperation.Jsge => "jsge",
            JumpOperation.Call => "call",
            JumpOperation.Exit => "exit",
            JumpOperation.Jlt => "jlt",
            JumpOperation.Jle => "jle",
            JumpOperation.Jslt => "jslt",
            _ => "jsle",
        };

        /// <summary>Size suffix of loads and stores: b, h, w, dw.</summary>
        public static string Size(MemorySize size) => size switch
        {
            MemorySize.Byte => "b",
            MemorySize.Half => "h",
            MemorySize.Word => "w",
            _ => "dw",
        };

        /// <summary>Name of an atomic operation after <c>lock</c>, without the 32 suffix.</summary>
        public static string Atomic(AtomicOperation op) => op switch
        {
            AtomicOperation.Add => "add",
            AtomicOperation.Or => "or",
            AtomicOperation.And => "and",
            AtomicOperation.Xor => "xor",
            AtomicOperation.Add | AtomicOperation.Fetch => "fetch add",
            AtomicOperation.Or | AtomicOperation.Fetch => "fetch or",
            AtomicOperation.And | AtomicOperation.Fetch => "fetch and",
            AtomicOperation.Xor | AtomicOperation.Fetch => "fetch xor",
            AtomicOperation.Exchange => "xchg",
            AtomicOperation.CompareExchange => "cmpxchg",
            _ => $"0x{(int)op:x}",
        };

        /// <summary>Spelling of a <c>lddw</c> pseudo source as a function-like operand, e.g. <c>map_fd(3)</c>.</summary>
        public static string LoadImmediateKind(LoadImmediateKind kind) => kind switch
        {
            Isa.LoadImmediateKind.MapByFd => "map_fd",
            Isa.LoadImmediateKind.MapValueByFd => "map_value",
            Isa.LoadImmediateKind.VariableAddress => "btf_var",
            Isa.LoadImmediateKind.CodeAddress => "func",
            Isa.LoadImmediateKind.MapByIndex => "map_idx",
            Isa.LoadImmediateKind.MapValueByIndex => "map_idx_value",
            _ => "",
        };
    }
}
