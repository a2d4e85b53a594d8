using System.Collections.Generic;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Bytecode.Classic.Seccomp;
using CSharpBpf.Generator.Ir;

namespace CSharpBpf.Generator.Backend.Classic
{
    /// <summary>
    /// A seccomp filter from one policy method lowered once per architecture: the filter loads seccomp_data.arch and
    /// runs the body lowered for it; any other architecture — and, on x86-64, an x32 call (number with bit 30 set, which
    /// carries the x86-64 arch value but means another table; -1 excepted) — gets SECCOMP_RET_KILL_PROCESS, as
    /// Documentation/userspace-api/seccomp_filter.rst asks of every filter.
    /// </summary>
    internal static class SeccompFilterBuilder
    {
        public static ClassicProgram Build(IReadOnlyList<(SeccompArchitecture Architecture, IrFunction Body)> bodies)
        {
            var code = new ClassicCode();
            code.Statement(ClassicOpcode.LdWAbs, SeccompAbi.ArchOffset);
            var entries = new List<object>();
            foreach (var (architecture, _) in bodies)
            {
                var entry = new object();
                var next = new object();
                entries.Add(entry);
                code.Jump(ClassicOpcode.JeqK, (uint)architecture, entry, next);
                code.Label(next);
            }
            code.Statement(ClassicOpcode.RetK, SeccompAbi.KillProcess);
            for (int i = 0; i < bodies.Count; i++)
            {
                var (architecture, body) = bodies[i];
                code.Label(entries[i]);
                if (architecture == SeccompArchitecture.X86_64)
                {
                    // Number -1 is not x32: ptrace uses it to skip a call, and libseccomp lets it through too. Jumps go
                    // forward only, so the x32 refusal gets its own ret.
                    var high = new object();
                    var x32 = new object();
                    code.Statement(ClassicOpcode.LdWAbs, SeccompAbi.NrOffset);
                    code.Jump(ClassicOpcode.JgeK, SeccompAbi.X32SyscallBit, high, ClassicFunctionEmitter.EntryLabel(body));
                    code.Label(high);
                    code.Jump(ClassicOpcode.JeqK, uint.MaxValue, ClassicFunctionEmitter.EntryLabel(body), x32);
                    code.Label(x32);
                    code.Statement(ClassicOpcode.RetK, SeccompAbi.KillProcess);
                    ClassicFunctionEmitter.Emit(code, body, contextWordInA: SeccompAbi.NrOffset);
                }
                else ClassicFunctionEmitter.Emit(code, body, contextWordInA: SeccompAbi.ArchOffset);
            }
            return code.Resolve();
        }
    }
}
