using System;
using System.Collections.Generic;

namespace CSharpBpf.Bytecode.Asm
{
    /// <summary>A piece of source text with the column it starts at, so every error can point at it.</summary>
    internal readonly struct SourceToken
    {
        public SourceToken(string text, int line, int column)
        {
            Text = text;
            Line = line;
            Column = column;
        }

        public string Text { get; }
        public int Line { get; }
        public int Column { get; }

        public AssemblyException Error(string reason) => new AssemblyException(Line, Column, reason);
    }

    /// <summary>One statement of assembly: an optional label, a mnemonic and its comma-separated operands.</summary>
    internal sealed class SourceLine
    {
        private SourceLine(int line, SourceToken? label, SourceToken mnemonic, IReadOnlyList<SourceToken> operands)
        {
            Line = line;
            Label = label;
            Mnemonic = mnemonic;
            Operands = operands;
        }

        public int Line { get; }
        public SourceToken? Label { get; }
        public SourceToken Mnemonic { get; }
        public IReadOnlyList<SourceToken> Operands { get; }
        public bool HasInstruction => Mnemonic.Text.Length > 0;

        /// <summary>Splits one line; null when it holds neither label nor instruction.</summary>
        public static SourceLine? Parse(string text, int line)
        {
            int hash = text.IndexOf('#');
            if (hash >= 0) text = text.Substring(0, hash);
            int position = SkipSpace(text, 0);
            if (position == text.Length) return null;

            SourceToken? label = null;
            int colon = text.IndexOf(':', position);
            int firstSpace = IndexOfSpace(text, position);
            if (colon > 0 && (firstSpace < 0 || colon < firstSpace))
            {
                string name = text.Substring(position, colon - position);
                if (!IsIdentifier(name)) throw new AssemblyException(line, position + 1, $"'{name}' is not a valid label name (letters, digits and '_', not starting with a digit)");
                label = new SourceToken(name, line, position + 1);
                position = SkipSpace(text, colon + 1);
            }
            if (position == text.Length)
                return new SourceLine(line, label, new SourceToken("", line, position + 1), Array.Empty<SourceToken>());

            int end = IndexOfSpace(text, position);
            if (end < 0) end = text.Length;
            var mnemonic = new SourceToken(text.Substring(position, end - position), line, position + 1);
            return new SourceLine(line, label, mnemonic, SplitOperands(text, end, line));
        }

        /// <summary>Splits at commas outside brackets and parentheses: <c>[%r1+2]</c> and <c>map_value(3, 8)</c> are one operand each.</summary>
        internal static List<SourceToken> SplitOperands(string text, int start, int line)
        {
            var operands = new List<SourceToken>();
            int depth = 0, tokenStart = start;
            for (int i = start; i <= text.Length; i++)
            {
                char c = i < text.Length ? text[i] : ',';
                if (c == '[' || c == '(') depth++;
                else if (c == ']' || c == ')') depth--;
                else if (c == ',' && (depth == 0 || i == text.Length))
                {
                    int s = SkipSpace(text, tokenStart);
                    string token = text.Substring(s, i - s).TrimEnd();
                    if (token.Length == 0)
                    {
                        if (i < text.Length || operands.Count > 0) throw new AssemblyException(line, s + 1, "missing operand");
                    }
                    else operands.Add(new SourceToken(token, line, s + 1));
                    tokenStart = i + 1;
                }
            }
            return operands;
        }

        internal static bool IsIdentifier(string name)
        {
            if (name.Length == 0 || char.IsDigit(name[0])) return false;
            foreach (char c in name)
                if (!(char.IsLetterOrDigit(c) || c == '_' || c == '.')) return false;
            return true;
        }

        private static int SkipSpace(string text, int i)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            return i;
        }

        private static int IndexOfSpace(string text, int i)
        {
            for (; i < text.Length; i++) if (char.IsWhiteSpace(text[i])) return i;
            return -1;
        }
    }
}
