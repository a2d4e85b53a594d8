using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Generator.Ir
{
    /// <summary>One IR instruction. Fields a given <see cref="Op"/> does not use stay at their defaults.</summary>
    internal sealed class IrInstruction
    {
        public IrInstruction(IrOp op) => Op = op;

        public IrOp Op { get; }
        /// <summary>The virtual register written, or -1.</summary>
        public int Dst { get; set; } = -1;
        public Operand A { get; set; }
        public Operand B { get; set; }
        /// <summary>The compare-exchange comparand.</summary>
        public Operand C { get; set; }
        public AluOperation Alu { get; set; }
        public bool Signed { get; set; }
        /// <summary>Access width in bytes (1, 2, 4, 8).</summary>
        public int Size { get; set; }
        public int Offset { get; set; }
        public int Helper { get; set; }
        public AtomicOperation Atomic { get; set; }
        public string? Symbol { get; set; }
        /// <summary>The root type of a CO-RE relocation (a [KernelType] struct or enum).</summary>
        public Microsoft.CodeAnalysis.ITypeSymbol? CoreType { get; set; }
        public IReadOnlyList<Operand> Arguments { get; set; } = System.Array.Empty<Operand>();
        /// <summary>For a move: the value is a pointer known not to be null (a checked packet or stack address);
        /// for a map lookup: the element always exists (an array index known to be in range).</summary>
        public bool NonNull { get; set; }
        /// <summary>A load of the context's data or data_end: its result (and what is computed from it) points into the packet.</summary>
        public bool PacketPointer { get; set; }
        /// <summary>The source line this instruction came from (1-based; 0 = none).</summary>
        public int Line { get; set; }

        /// <summary>True when removing the instruction changes nothing but its result.</summary>
        public bool IsPure => Op is IrOp.Move or IrOp.Alu or IrOp.Alu32 or IrOp.Negate or IrOp.SignExtend or IrOp.ByteSwap
            or IrOp.Load or IrOp.FrameAddress or IrOp.MapAddress or IrOp.GlobalAddress or IrOp.CoreValue;

        /// <summary>True for instructions after which r0–r5 hold garbage.</summary>
        public bool ClobbersCallerSaved => Op == IrOp.CallHelper || Op == IrOp.CallLocal || Op == IrOp.CallKernel || Op == IrOp.CompareExchange;

        public IEnumerable<int> Uses()
        {
            foreach (var o in new[] { A, B, C }.Concat(Arguments))
                if (o.IsRegister) yield return o.Register;
        }

        public void RewriteUses(System.Func<Operand, Operand> map)
        {
            A = map(A);
            B = map(B);
            C = map(C);
            Arguments = Arguments.Select(map).ToArray();
        }

        public override string ToString()
        {
            string dst = Dst >= 0 ? $"v{Dst} = " : "";
            return Op switch
            {
                IrOp.Alu or IrOp.Alu32 => $"{dst}{Op} {Alu} {A}, {B}",
                IrOp.Load => $"{dst}load{Size * 8}{(Signed ? "s" : "")} [{A}{Offset:+0;-0}]",
                IrOp.Store => $"store{Size * 8} [{A}{Offset:+0;-0}] = {B}",
                IrOp.CallHelper => $"{dst}helper {Helper}({string.Join(", ", Arguments)})",
                IrOp.CallLocal => $"{dst}call {Symbol}({string.Join(", ", Arguments)})",
                IrOp.CallKernel => $"{dst}kfunc {Symbol}({string.Join(", ", Arguments)})",
                IrOp.MapAddress => $"{dst}map {Symbol}",
                IrOp.GlobalAddress => $"{dst}global {Symbol}+{Offset}",
                IrOp.FrameAddress => $"{dst}fp{Offset}",
                IrOp.CoreValue => $"{dst}core {Helper} {CoreType?.Name}:{Symbol} ({Offset})",
                _ => $"{dst}{Op} {A} {B} size={Size}",
            };
        }
    }
}
