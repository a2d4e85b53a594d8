using System.Collections.Generic;
using System.Linq;

namespace CSharpBpf.Bytecode.Classic.Seccomp
{
    /// <summary>The kernel's rules for a seccomp filter (kernel/seccomp.c, <c>seccomp_check_filter</c>), on top of the
    /// classic ones (<see cref="ClassicValidator"/>): loads read <c>struct seccomp_data</c> only, as aligned 32-bit words
    /// (<c>ld [k]</c>, k a multiple of 4 below 64) or its length; no indirect, byte, half-word or ancillary loads.</summary>
    public static class SeccompValidator
    {
        /// <summary>Every rule <paramref name="program"/> breaks as a seccomp filter; empty when seccomp(2) would accept it.</summary>
        public static IReadOnlyList<ClassicValidationError> Validate(ClassicProgram program)
        {
            var errors = ClassicValidator.Validate(program).ToList();
            for (int pc = 0; pc < program.Count; pc++)
            {
                var ins = program[pc];
                if (!ClassicValidator.IsKnownCode(ins.Code)) continue; // reported above
                switch (ins.Code)
                {
                    case ClassicOpcode.LdWAbs:
                        if (ins.K >= SeccompAbi.DataSize || ins.K % 4 != 0)
                            errors.Add(new ClassicValidationError(pc, "seccomp load", $"'{ClassicDisassembler.Text(ins)}' is outside struct seccomp_data: seccomp loads aligned words at 0 to {SeccompAbi.DataSize - 4}"));
                        break;
                    case ClassicOpcode.LdLen:
                    case ClassicOpcode.LdxLen:
                        break; // the kernel rewrites these to the constant 64
                    default:
                        var kind = ins.Class;
                        bool allowed = kind is ClassicClass.Ret or ClassicClass.Alu or ClassicClass.Jmp or ClassicClass.Misc or ClassicClass.St or ClassicClass.Stx
                            || ins.Code is ClassicOpcode.LdImm or ClassicOpcode.LdxImm or ClassicOpcode.LdMem or ClassicOpcode.LdxMem;
                        if (!allowed)
                            errors.Add(new ClassicValidationError(pc, "seccomp load", $"'{ClassicDisassembler.Text(ins)}' is not allowed in a seccomp filter: load words of seccomp_data with ld [k]"));
                        break;
                }
            }
            return errors.OrderBy(e => e.Index).ToList();
        }
    }
}
