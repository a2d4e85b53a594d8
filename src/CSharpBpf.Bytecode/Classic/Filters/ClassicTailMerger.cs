using System.Collections.Generic;

namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>Merges identical code: where a block repeats, instruction for instruction and target for target, jumps
    /// to one copy go to the other and the first disappears. The copies
    /// compute the same function of A, X, M[] and the packet, so the program decides as before; this is what lets two
    /// tests share a block when A already holds a different value on each path (libpcap's optimizer does the same).</summary>
    internal static class ClassicTailMerger
    {
        public static List<ClassicInstruction> Merge(List<ClassicInstruction> code)
        {
            var targets = Targets(code);
            while (MergeOnce(code, targets)) { }
            return Relink(code, targets);
        }

        /// <summary>Per instruction: its absolute jump targets (true, false; ja has only the first), -1 where none.</summary>
        private static List<(int True, int False)> Targets(List<ClassicInstruction> code)
        {
            var targets = new List<(int, int)>(code.Count);
            for (int i = 0; i < code.Count; i++)
            {
                var ins = code[i];
                if (ins.Code == ClassicOpcode.Ja) targets.Add((i + 1 + (int)ins.K, -1));
                else if (ins.IsConditionalJump) targets.Add((i + 1 + ins.Jt, i + 1 + ins.Jf));
                else targets.Add((-1, -1));
            }
            return targets;
        }

        private static bool EndsBlock(ClassicInstruction ins) => ins.Class is ClassicClass.Jmp or ClassicClass.Ret;

        /// <summary>Finds two copies and makes one go: the earlier when only jumps reach it (its jumps then go forward to
        /// the later), else the later when every jump to it starts before the earlier.</summary>
        private static bool MergeOnce(List<ClassicInstruction> code, List<(int True, int False)> targets)
        {
            var reachable = Reachable(code, targets);
            for (int j = code.Count - 1; j > 0; j--)
            {
                if (!reachable[j]) continue;
                for (int i = 0; i < j; i++)
                {
                    if (!reachable[i] || !SameBlock(code, targets, i, j)) continue;
                    if (i > 0 && EndsBlock(code[i - 1]) && Reaches(code, targets, from: i, to: j)) return Redirect(targets, from: i, to: j);
                    if (EndsBlock(code[j - 1]) && FirstReference(targets, reachable, j) < i) return Redirect(targets, from: j, to: i);
                }
            }
            return false;
        }

        /// <summary>Whether every conditional jump to <paramref name="from"/> can reach <paramref name="to"/> instead
        /// (255 instructions at most; removing code later only shortens the distance).</summary>
        private static bool Reaches(List<ClassicInstruction> code, List<(int True, int False)> targets, int from, int to)
        {
            for (int p = 0; p < targets.Count; p++)
                if (code[p].IsConditionalJump && (targets[p].True == from || targets[p].False == from) && to - p - 1 > byte.MaxValue) return false;
            return true;
        }

        private static int FirstReference(List<(int True, int False)> targets, bool[] reachable, int to)
        {
            for (int p = 0; p < targets.Count; p++)
                if (reachable[p] && (targets[p].True == to || targets[p].False == to)) return p;
            return int.MaxValue;
        }

        private static bool Redirect(List<(int True, int False)> targets, int from, int to)
        {
            for (int p = 0; p < targets.Count; p++)
            {
                if (targets[p].True == from) targets[p] = (to, targets[p].False);
                if (targets[p].False == from) targets[p] = (targets[p].True, to);
            }
            return true;
        }

        private static bool SameBlock(List<ClassicInstruction> code, List<(int True, int False)> targets, int i, int j)
        {
            for (int k = 0; i + k < j && j + k < code.Count; k++)
            {
                var a = code[i + k];
                var b = code[j + k];
                bool jump = a.Code == ClassicOpcode.Ja || a.IsConditionalJump;
                if (a.Code != b.Code || a.K != b.K && !jump || (a.IsConditionalJump && a.K != b.K)) return false;
                if (jump && targets[i + k] != targets[j + k]) return false;
                if (EndsBlock(a)) return true;
            }
            return false;
        }

        private static bool[] Reachable(List<ClassicInstruction> code, List<(int True, int False)> targets)
        {
            var reachable = new bool[code.Count];
            reachable[0] = true;
            for (int i = 0; i < code.Count; i++)
            {
                if (!reachable[i]) continue;
                var (t, f) = targets[i];
                if (t >= 0) reachable[t] = true;
                if (f >= 0) reachable[f] = true;
                if (!EndsBlock(code[i]) && i + 1 < code.Count) reachable[i + 1] = true;
            }
            return reachable;
        }

        /// <summary>Drops unreachable instructions and writes the relative offsets back.</summary>
        private static List<ClassicInstruction> Relink(List<ClassicInstruction> code, List<(int True, int False)> targets)
        {
            var reachable = Reachable(code, targets);
            var position = new int[code.Count + 1];
            int next = 0;
            for (int i = 0; i < code.Count; i++)
            {
                position[i] = next;
                if (reachable[i]) next++;
            }
            var result = new List<ClassicInstruction>(next);
            for (int i = 0; i < code.Count; i++)
            {
                if (!reachable[i]) continue;
                var ins = code[i];
                int at = position[i];
                if (ins.Code == ClassicOpcode.Ja) ins = ClassicInstruction.Statement(ClassicOpcode.Ja, (uint)(position[targets[i].True] - at - 1));
                else if (ins.IsConditionalJump)
                {
                    int jt = position[targets[i].True] - at - 1, jf = position[targets[i].False] - at - 1;
                    if (jt > byte.MaxValue || jf > byte.MaxValue) throw new System.InvalidOperationException("a merged conditional jump no longer reaches its target");
                    ins = ClassicInstruction.Jump(ins.Code, ins.K, (byte)jt, (byte)jf);
                }
                result.Add(ins);
            }
            return result;
        }
    }
}
