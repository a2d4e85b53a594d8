using System.Collections.Generic;

namespace CSharpBpf.Generator.Ir
{
    /// <summary>How a block ends.</summary>
    internal enum TerminatorKind { None, Jump, Branch, Return }

    /// <summary>A basic block: straight-line instructions and one terminator.</summary>
    internal sealed class IrBlock
    {
        public IrBlock(int id) => Id = id;

        public int Id { get; }
        public List<IrInstruction> Instructions { get; } = new List<IrInstruction>();
        public TerminatorKind Terminator { get; set; }
        /// <summary>Jump target, or the branch's taken target.</summary>
        public IrBlock? Target { get; set; }
        /// <summary>The branch's fall-through (not taken) target.</summary>
        public IrBlock? Otherwise { get; set; }
        public Condition Condition { get; set; }
        /// <summary>Compare the low 32 bits only (jmp32): the operands are 32-bit C# values.</summary>
        public bool Is32 { get; set; }
        /// <summary>Branch operands, or the returned value in <see cref="Left"/>.</summary>
        public Operand Left { get; set; }
        public Operand Right { get; set; }
        public int TerminatorLine { get; set; }

        public bool IsTerminated => Terminator != TerminatorKind.None;

        public IEnumerable<IrBlock> Successors()
        {
            if (Terminator == TerminatorKind.Jump) yield return Target!;
            if (Terminator == TerminatorKind.Branch) { yield return Target!; yield return Otherwise!; }
        }

        public IEnumerable<int> TerminatorUses()
        {
            if (Terminator == TerminatorKind.Branch || Terminator == TerminatorKind.Return)
            {
                if (Left.IsRegister) yield return Left.Register;
                if (Right.IsRegister) yield return Right.Register;
            }
        }

        public override string ToString() => "b" + Id;
    }
}
