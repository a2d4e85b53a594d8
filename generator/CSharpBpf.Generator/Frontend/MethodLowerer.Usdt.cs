using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Bytecode.Usdt;
using CSharpBpf.Generator.Diagnostics;
using CSharpBpf.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace CSharpBpf.Generator.Frontend
{
    // UsdtContext: a USDT probe's arguments, decoded from the spec the loader wrote for the firing site (UsdtSpecLayout),
    // as libbpf's bpf_usdt_arg does — so the object also attaches through libbpf.
    internal sealed partial class MethodLowerer
    {
        /// <summary>ctx.Arg(n): 0 until the site's spec says where argument n is; then its value, read from pt_regs (a
        /// register), taken from the spec (a constant) or read from the process (memory at a register plus an offset,
        /// or base + index × scale + offset), cut to the argument's size and extended by its signedness.</summary>
        private Value UsdtArgument(IInvocationOperation invocation, Operand context)
        {
            var index = Argument(invocation, 0);
            if (!index.ConstantValue.HasValue || index.ConstantValue.Value is not int n || n < 0 || n >= UsdtSpecLayout.MaxArguments)
                throw CompileError.Unsupported(index.Syntax, "a USDT argument index that is not a constant from 0 to 11", "index with a constant: each argument is decoded where it is read");
            int result = NewRegister();
            Move(result, Operand.Const(0));
            var done = _function.NewBlock();
            var spec = UsdtSpecOfSite(context, done);
            var present = _function.NewBlock();
            Branch(Ir.Condition.Greater, Operand.Reg(LoadBytes(spec, UsdtSpecLayout.CountOffset, 2)), Operand.Const(n), false, present, done);
            StartBlock(present);

            int field = n * UsdtSpecLayout.ArgumentSize;
            int value = LoadBytes(spec, field + UsdtSpecLayout.ValueOffset, 8);
            int word = LoadBytes(spec, field + UsdtSpecLayout.TypeWordOffset, 4);
            int type = Alu(AluOperation.And, Operand.Reg(word), Operand.Const(0xff));
            var extend = _function.NewBlock();
            var notConstant = _function.NewBlock();
            Move(result, Operand.Reg(value));
            Branch(Ir.Condition.Equal, Operand.Reg(type), Operand.Const(UsdtSpecLayout.Constant), false, extend, notConstant);

            StartBlock(notConstant);
            var slot = StackTemporary(Known.UInt64);
            int register = LoadBytes(spec, field + UsdtSpecLayout.RegisterOffset, 2);
            Move(result, ReadRegister(context, register, slot));
            var memory = _function.NewBlock();
            Branch(Ir.Condition.Equal, Operand.Reg(type), Operand.Const(UsdtSpecLayout.Register), false, extend, memory);

            StartBlock(memory);
            var deref = _function.NewBlock();
            var notDeref = _function.NewBlock();
            Branch(Ir.Condition.Equal, Operand.Reg(type), Operand.Const(UsdtSpecLayout.RegisterDeref), false, deref, notDeref);
            StartBlock(deref);
            Move(result, ReadUser(Alu(AluOperation.Add, Operand.Reg(result), Operand.Reg(value)), slot));
            Jump(extend);

            StartBlock(notDeref);
            var scaled = _function.NewBlock();
            var unknown = _function.NewBlock();
            Branch(Ir.Condition.Equal, Operand.Reg(type), Operand.Const(UsdtSpecLayout.ScaledIndex), false, scaled, unknown);
            StartBlock(scaled);
            int indexRegister = Alu(AluOperation.And, Operand.Reg(Alu(AluOperation.Rsh, Operand.Reg(word), Operand.Const(8))), Operand.Const(0xfff));
            int scale = Alu(AluOperation.And, Operand.Reg(Alu(AluOperation.Rsh, Operand.Reg(word), Operand.Const(20))), Operand.Const(0xf));
            int offset = Alu(AluOperation.Lsh, ReadRegister(context, indexRegister, slot), Operand.Reg(scale));
            int address = Alu(AluOperation.Add, Operand.Reg(Alu(AluOperation.Add, Operand.Reg(result), Operand.Reg(offset))), Operand.Reg(value));
            Move(result, ReadUser(address, slot));
            Jump(extend);
            StartBlock(unknown);
            Move(result, Operand.Const(0));
            Jump(done);

            // Keep the argument's own bytes: shift them to the top, then back, arithmetically when it is signed.
            StartBlock(extend);
            int shift = LoadBytes(spec, field + UsdtSpecLayout.BitShiftOffset, 1);
            Emit(new IrInstruction(IrOp.Alu) { Dst = result, Alu = AluOperation.Lsh, A = Operand.Reg(result), B = Operand.Reg(shift) });
            var signed = _function.NewBlock();
            var unsigned = _function.NewBlock();
            Branch(Ir.Condition.Equal, Operand.Reg(LoadBytes(spec, field + UsdtSpecLayout.SignedOffset, 1)), Operand.Const(0), false, unsigned, signed);
            StartBlock(signed);
            Emit(new IrInstruction(IrOp.Alu) { Dst = result, Alu = AluOperation.Arsh, A = Operand.Reg(result), B = Operand.Reg(shift) });
            Jump(done);
            StartBlock(unsigned);
            Emit(new IrInstruction(IrOp.Alu) { Dst = result, Alu = AluOperation.Rsh, A = Operand.Reg(result), B = Operand.Reg(shift) });
            Jump(done);

            StartBlock(done);
            return new Scalar(Operand.Reg(result), invocation.TargetMethod.ReturnType);
        }

        /// <summary>ctx.ArgCount: the site's spec's argument count, 0 without one.</summary>
        private Value UsdtArgumentCount(Operand context, ITypeSymbol type)
        {
            int result = NewRegister();
            Move(result, Operand.Const(0));
            var done = _function.NewBlock();
            var spec = UsdtSpecOfSite(context, done);
            Move(result, Operand.Reg(LoadBytes(spec, UsdtSpecLayout.CountOffset, 2)));
            Jump(done);
            StartBlock(done);
            return new Scalar(Operand.Reg(result), type, nonNegative: true);
        }

        /// <summary>The spec of the firing site: the map entry its link's cookie names. Continues at
        /// <paramref name="missing"/> when there is none (a link made without a spec).</summary>
        private Operand UsdtSpecOfSite(Operand context, IrBlock missing)
        {
            var key = StackTemporary(Known.UInt32);
            Store(key, CallHelper(HelperIds.GetAttachCookie, context));
            int spec = NewRegister();
            Emit(new IrInstruction(IrOp.CallHelper) { Dst = spec, Helper = HelperIds.MapLookupElem, Arguments = new[] { MapAddress(_scope.RequestUsdtSpecs()), AddressOf(key) } });
            var found = _function.NewBlock();
            Branch(Ir.Condition.Equal, Operand.Reg(spec), Operand.Const(0), false, missing, found);
            StartBlock(found);
            return Operand.Reg(spec);
        }

        /// <summary>The register at byte <paramref name="offset"/> of pt_regs. Read with bpf_probe_read_kernel, as the verifier
        /// allows only constant offsets for direct context loads.</summary>
        private Operand ReadRegister(Operand context, int offset, Place slot)
        {
            CallHelper(HelperIds.ProbeReadKernel, AddressOf(slot), Operand.Const(8), Operand.Reg(Alu(AluOperation.Add, context, Operand.Reg(offset))));
            return Operand.Reg(Load(slot));
        }

        /// <summary>8 bytes of the probed process at <paramref name="address"/> (zero when unreadable: the helper clears them).</summary>
        private Operand ReadUser(int address, Place slot)
        {
            CallHelper(HelperIds.ProbeReadUser, AddressOf(slot), Operand.Const(8), Operand.Reg(address));
            return Operand.Reg(Load(slot));
        }

        private int LoadBytes(Operand @base, int offset, int size)
        {
            int r = NewRegister();
            Emit(new IrInstruction(IrOp.Load) { Dst = r, A = @base, Offset = offset, Size = size });
            return r;
        }

        private int Alu(AluOperation operation, Operand left, Operand right)
        {
            int r = NewRegister();
            Emit(new IrInstruction(IrOp.Alu) { Dst = r, Alu = operation, A = left, B = right });
            return r;
        }
    }
}
