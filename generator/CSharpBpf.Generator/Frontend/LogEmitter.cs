using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>
    /// The subprograms BpfLog calls share, one per number of values n: __bpf_log_emit{n}(site, v1…vn) writes
    /// { u64 site; u64 v[n] } to the log ring buffer. A call site then costs one move per value, the site number and
    /// the call — fewer instructions than bpf_trace_printk's format address, length and call — and nothing is
    /// formatted in the kernel.
    /// </summary>
    internal static class LogEmitter
    {
        public static string NameOf(int values) => "__bpf_log_emit" + values;

        /// <summary>The emitter for <paramref name="values"/> values; every instruction carries <paramref name="line"/>
        /// (the first BpfLog call), as the kernel wants line info at each function's start.</summary>
        public static IrFunction Build(MapDeclaration map, int values, int line)
        {
            var function = new IrFunction(NameOf(values)) { DeclarationLine = line };
            var block = function.NewBlock();
            for (int i = 0; i <= values; i++) function.Parameters.Add(function.NewRegister());
            int size = 8 + 8 * values;
            int record = function.AllocateFrame(size, 8);
            function.StackUsers.Add(new StackUser("log record", record, size, null));
            for (int i = 0; i <= values; i++)
                block.Instructions.Add(new IrInstruction(IrOp.Store) { A = Operand.Frame, Offset = record + 8 * i, Size = 8, B = Operand.Reg(function.Parameters[i]), Line = line });
            int mapAddress = function.NewRegister(), recordAddress = function.NewRegister();
            block.Instructions.Add(new IrInstruction(IrOp.MapAddress) { Dst = mapAddress, Symbol = map.Name, Line = line });
            block.Instructions.Add(new IrInstruction(IrOp.FrameAddress) { Dst = recordAddress, Offset = record, Line = line });
            block.Instructions.Add(new IrInstruction(IrOp.CallHelper)
            {
                Helper = HelperIds.RingbufOutput,
                Arguments = new[] { Operand.Reg(mapAddress), Operand.Reg(recordAddress), Operand.Const(size), Operand.Const(0) },
                Line = line,
            });
            block.Terminator = TerminatorKind.Return;
            block.TerminatorLine = line;
            block.Left = Operand.Const(0);
            return function;
        }
    }
}
