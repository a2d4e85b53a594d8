namespace CSharpBpf.Generator.Ir
{
    /// <summary>An IR operand: a virtual register, a 64-bit constant, or the frame pointer (r10).</summary>
    internal readonly struct Operand
    {
        private Operand(OperandKind kind, int register, long constant)
        {
            Kind = kind;
            Register = register;
            Constant = constant;
        }

        public OperandKind Kind { get; }
        public int Register { get; }
        public long Constant { get; }

        public bool IsRegister => Kind == OperandKind.Register;
        public bool IsConstant => Kind == OperandKind.Constant;
        public bool IsFrame => Kind == OperandKind.Frame;
        /// <summary>True for a constant that fits an instruction's signed 32-bit immediate.</summary>
        public bool IsImmediate32 => IsConstant && Constant >= int.MinValue && Constant <= int.MaxValue;

        public static Operand Reg(int register) => new Operand(OperandKind.Register, register, 0);
        public static Operand Const(long value) => new Operand(OperandKind.Constant, -1, value);
        public static readonly Operand Frame = new Operand(OperandKind.Frame, -1, 0);

        public override string ToString() => Kind switch
        {
            OperandKind.None => "_",
            OperandKind.Register => "v" + Register,
            OperandKind.Constant => Constant.ToString(),
            _ => "fp",
        };
    }

    // None first: a default Operand (an unused field of an instruction) must not read as register v0.
    internal enum OperandKind { None, Register, Constant, Frame }
}
