using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Bytecode.Classic
{
    /// <summary>The mnemonics of the <c>tcpdump -d</c> listing, shared by the assembler and the disassembler.</summary>
    internal static class ClassicMnemonics
    {
        private static readonly Dictionary<ClassicAluOperation, string> AluNames = new()
        {
            [ClassicAluOperation.Add] = "add", [ClassicAluOperation.Sub] = "sub", [ClassicAluOperation.Mul] = "mul",
            [ClassicAluOperation.Div] = "div", [ClassicAluOperation.Mod] = "mod", [ClassicAluOperation.And] = "and",
            [ClassicAluOperation.Or] = "or", [ClassicAluOperation.Xor] = "xor", [ClassicAluOperation.Lsh] = "lsh",
            [ClassicAluOperation.Rsh] = "rsh", [ClassicAluOperation.Neg] = "neg",
        };

        private static readonly Dictionary<ClassicJumpOperation, string> JumpNames = new()
        {
            [ClassicJumpOperation.Equal] = "jeq", [ClassicJumpOperation.Greater] = "jgt",
            [ClassicJumpOperation.GreaterOrEqual] = "jge", [ClassicJumpOperation.AnyBitSet] = "jset",
        };

        public static readonly Dictionary<string, ClassicAluOperation> AluByName = AluNames.ToDictionary(p => p.Value, p => p.Key);
        public static readonly Dictionary<string, ClassicJumpOperation> JumpByName = JumpNames.ToDictionary(p => p.Value, p => p.Key);

        public static string? Alu(ClassicAluOperation operation) => AluNames.TryGetValue(operation, out var name) ? name : null;

        public static string? Jump(ClassicJumpOperation operation) => JumpNames.TryGetValue(operation, out var name) ? name : null;

        /// <summary>libpcap prints the constant of logical operations in hex and of arithmetic ones in signed decimal.</summary>
        public static bool HexOperand(ClassicAluOperation operation) =>
            operation is ClassicAluOperation.And or ClassicAluOperation.Or or ClassicAluOperation.Xor;
    }
}
