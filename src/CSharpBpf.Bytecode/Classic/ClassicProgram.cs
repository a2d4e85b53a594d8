using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using CSharpBpf.Bytecode.Asm;

namespace CSharpBpf.Bytecode.Classic
{
    /// <summary>A classic BPF program: the instructions of struct sock_fprog, in order. Immutable; equal when the
    /// instructions are. It reads and prints the three forms of <c>tcpdump</c>: the listing (<c>-d</c>), the C array
    /// (<c>-dd</c>) and the decimal form (<c>-ddd</c>).</summary>
    public sealed class ClassicProgram : IReadOnlyList<ClassicInstruction>, IEquatable<ClassicProgram>
    {
        private static readonly Regex CArrayLine = new Regex(@"^\{\s*(?<code>0x[0-9a-fA-F]+|\d+)\s*,\s*(?<jt>\d+)\s*,\s*(?<jf>\d+)\s*,\s*(?<k>0x[0-9a-fA-F]+|\d+)\s*\},?$", RegexOptions.CultureInvariant);
        private readonly ClassicInstruction[] _instructions;

        /// <summary>Creates a program from its instructions (copied).</summary>
        public ClassicProgram(IEnumerable<ClassicInstruction> instructions) => _instructions = instructions.ToArray();

        /// <summary>The number of instructions.</summary>
        public int Count => _instructions.Length;

        /// <summary>The instruction at <paramref name="index"/>.</summary>
        public ClassicInstruction this[int index] => _instructions[index];

        /// <summary>The kernel's rules for this program (<see cref="ClassicValidator"/>): empty when it would be accepted.</summary>
        public IReadOnlyList<ClassicValidationError> Validate() => ClassicValidator.Validate(this);

        /// <summary>The encoding the kernel takes: 8 bytes per instruction (struct sock_filter, host order).</summary>
        public byte[] Encode()
        {
            var bytes = new byte[_instructions.Length * ClassicInstruction.Size];
            for (int i = 0; i < _instructions.Length; i++) _instructions[i].Encode(bytes.AsSpan(i * ClassicInstruction.Size));
            return bytes;
        }

        /// <summary>Reads an encoded program.</summary>
        /// <exception cref="FormatException">The length is not a multiple of 8 bytes.</exception>
        public static ClassicProgram Decode(ReadOnlySpan<byte> bytes)
        {
            if (bytes.Length % ClassicInstruction.Size != 0)
                throw new FormatException($"a classic BPF program is a whole number of 8-byte instructions; {bytes.Length} bytes is not");
            var instructions = new ClassicInstruction[bytes.Length / ClassicInstruction.Size];
            for (int i = 0; i < instructions.Length; i++) instructions[i] = ClassicInstruction.Decode(bytes.Slice(i * ClassicInstruction.Size));
            return new ClassicProgram(instructions);
        }

        /// <summary>Reads any of tcpdump's three forms: the listing (<c>-d</c>), C array lines (<c>-dd</c>) or the
        /// count followed by "code jt jf k" lines (<c>-ddd</c>), told apart by their first line.</summary>
        /// <exception cref="AssemblyException">The text is malformed; the message names the line and column.</exception>
        public static ClassicProgram Parse(string text)
        {
            var lines = text.Replace("\r\n", "\n").Split('\n');
            string first = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
            if (first.StartsWith("{", StringComparison.Ordinal)) return ParseCArray(lines);
            if (first.Length > 0 && first.All(char.IsDigit)) return ParseDecimal(lines);
            return ClassicAssembler.Assemble(text);
        }

        private static ClassicProgram ParseCArray(string[] lines)
        {
            var instructions = new List<ClassicInstruction>();
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.Length == 0) continue;
                var match = CArrayLine.Match(line);
                if (!match.Success) throw new AssemblyException(i + 1, 1, "expected { code, jt, jf, k }, as tcpdump -dd prints");
                instructions.Add(new ClassicInstruction(
                    (ushort)Field(match.Groups["code"].Value, i, ushort.MaxValue), (byte)Field(match.Groups["jt"].Value, i, byte.MaxValue),
                    (byte)Field(match.Groups["jf"].Value, i, byte.MaxValue), (uint)Field(match.Groups["k"].Value, i, uint.MaxValue)));
            }
            return new ClassicProgram(instructions);
        }

        private static ClassicProgram ParseDecimal(string[] lines)
        {
            var rows = lines.Select((l, i) => (Line: i + 1, Text: l.Trim())).Where(r => r.Text.Length > 0).ToList();
            int count = (int)Field(rows[0].Text, rows[0].Line - 1, 4096);
            if (rows.Count - 1 != count)
                throw new AssemblyException(rows[0].Line, 1, $"the first line counts {count} instructions, {rows.Count - 1} follow");
            var instructions = rows.Skip(1).Select(r =>
            {
                var parts = r.Text.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 4) throw new AssemblyException(r.Line, 1, "expected 'code jt jf k' in decimal, as tcpdump -ddd prints");
                return new ClassicInstruction((ushort)Field(parts[0], r.Line - 1, ushort.MaxValue), (byte)Field(parts[1], r.Line - 1, byte.MaxValue),
                    (byte)Field(parts[2], r.Line - 1, byte.MaxValue), (uint)Field(parts[3], r.Line - 1, uint.MaxValue));
            });
            return new ClassicProgram(instructions);
        }

        private static ulong Field(string text, int lineIndex, ulong max)
        {
            bool hex = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            if (!ulong.TryParse(hex ? text.Substring(2) : text, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out ulong value) || value > max)
                throw new AssemblyException(lineIndex + 1, 1, $"'{text}' is not a number from 0 to {max}");
            return value;
        }

        /// <summary>The listing of <c>tcpdump -d</c> (<see cref="ClassicDisassembler"/>).</summary>
        public string ToListing() => ClassicDisassembler.Disassemble(this);

        /// <summary>The C array lines of <c>tcpdump -dd</c>: <c>{ 0x28, 0, 0, 0x0000000c },</c>.</summary>
        public string ToCArray() => string.Concat(_instructions.Select(i => i + ",\n"));

        /// <summary>The decimal form of <c>tcpdump -ddd</c>: the count, then "code jt jf k" per line.</summary>
        public string ToDecimal()
        {
            var text = new StringBuilder().Append(Count).Append('\n');
            foreach (var i in _instructions) text.Append(i.Code).Append(' ').Append(i.Jt).Append(' ').Append(i.Jf).Append(' ').Append(i.K).Append('\n');
            return text.ToString();
        }

        /// <summary>The listing.</summary>
        public override string ToString() => ToListing();

        /// <inheritdoc/>
        public IEnumerator<ClassicInstruction> GetEnumerator() => ((IEnumerable<ClassicInstruction>)_instructions).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => _instructions.GetEnumerator();

        /// <inheritdoc/>
        public bool Equals(ClassicProgram? other) => other != null && _instructions.SequenceEqual(other._instructions);
        /// <inheritdoc/>
        public override bool Equals(object? obj) => Equals(obj as ClassicProgram);
        /// <inheritdoc/>
        public override int GetHashCode() => _instructions.Aggregate(_instructions.Length, (h, i) => h * 31 + i.GetHashCode());
    }
}
