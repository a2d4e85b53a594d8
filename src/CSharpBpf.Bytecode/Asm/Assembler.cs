using System;
using System.Collections.Generic;
using System.Globalization;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Bytecode.Asm
{
    /// <summary>
    /// Assembles the bpf_conformance suite's syntax (see shared/conformance/README.md) plus the
    /// extensions <see cref="Disassembler"/> prints: <c>lddw</c> pseudo sources such as
    /// <c>map_fd(3)</c>, <c>call kfunc N</c>, and the legacy <c>ldabs</c>/<c>ldind</c> packet loads.
    /// Two passes: the first places labels at slots (lddw takes two), the second encodes.
    /// </summary>
    public static class Assembler
    {
        /// <summary>Assembles <paramref name="source"/>; throws <see cref="AssemblyException"/> with line and column on any error.</summary>
        public static Instruction[] Assemble(string source)
        {
            var lines = new List<SourceLine>();
            var labels = new Dictionary<string, int>(StringComparer.Ordinal);
            var statements = source.Replace("\r\n", "\n").Split('\n');
            int slot = 0;
            for (int i = 0; i < statements.Length; i++)
            {
                var line = SourceLine.Parse(statements[i], i + 1);
                if (line == null) continue;
                if (line.Label is SourceToken label)
                {
                    if (labels.ContainsKey(label.Text)) throw label.Error($"label '{label.Text}' is defined twice");
                    labels.Add(label.Text, slot);
                }
                if (!line.HasInstruction) continue;
                lines.Add(line);
                slot += line.Mnemonic.Text == "lddw" ? 2 : 1;
            }
            if (lines.Count == 0) throw new AssemblyException(1, 1, "the program has no instructions");

            // The suite jumps to "exit" without defining it: it names the program's final instruction.
            if (!labels.ContainsKey("exit")) labels.Add("exit", slot - 1);

            var program = new Instruction[lines.Count];
            slot = 0;
            for (int i = 0; i < lines.Count; i++)
            {
                program[i] = new InstructionParser(lines[i], slot, labels).Parse();
                slot += program[i].SlotCount;
            }
            return program;
        }
    }
}
