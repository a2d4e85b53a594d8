using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Bytecode.Classic.Filters;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    // ctx.Matches("tcp port 80"): a tcpdump expression tested inside an XDP or tc program.
    internal sealed partial class MethodLowerer
    {
        /// <summary>A call of the subprogram the expression compiles to (classic BPF translated to eBPF); it returns 1 when
        /// the packet matches, 0 otherwise — a field it reads past the packet's end is no match, as in classic BPF.</summary>
        private Value PacketFilterMatch(IInvocationOperation invocation, Operand context)
        {
            var argument = Argument(invocation, 0);
            if (argument.ConstantValue.Value is not string expression)
                throw CompileError.Unsupported(argument.Syntax, "a filter expression that is not a constant",
                    "write it as a string literal or a const string: it is compiled to BPF when the project builds");
            if (_programKind == ProgramKind.SocketFilter)
                throw CompileError.Unsupported(invocation.Syntax, "SkBuff.Matches in a socket filter",
                    "socket filters cannot read the packet directly: attach the expression itself (PacketFilter.Compile, then socket.AttachFilter), or test it in an [Xdp] or [TrafficControl] program");
            var target = KnownTypes.Is(invocation.Instance!.Type, Known.XdpContext) ? ClassicTranslationContext.Xdp : ClassicTranslationContext.TrafficControl;
            string symbol;
            try
            {
                symbol = _scope.RequestPacketFilter(expression, target, invocation.Syntax.GetLocation());
            }
            catch (PacketFilterException e)
            {
                throw CompileError.At(BpfDiagnostics.FilterExpression, argument.Syntax, expression, e.Message);
            }
            catch (System.NotSupportedException e)
            {
                throw CompileError.At(BpfDiagnostics.FilterExpression, argument.Syntax, expression, e.Message);
            }
            int result = NewRegister();
            Emit(new IrInstruction(IrOp.CallLocal) { Dst = result, Symbol = symbol, Arguments = new[] { context } });
            return new Scalar(Operand.Reg(result), Known.Boolean);
        }
    }
}
