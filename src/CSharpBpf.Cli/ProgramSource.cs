using System;
using System.Globalization;
using System.IO;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Cli;

/// <summary>Reads a program for the verbs that take one: assembly text or raw bytecode, by content.</summary>
public static class ProgramSource
{
    /// <summary>Loads <paramref name="file"/>: <c>.bin</c>/<c>.o</c>-less raw bytecode when its bytes are not text, otherwise assembly.</summary>
    public static Instruction[] Load(FileInfo file)
    {
        var bytes = File.ReadAllBytes(file.FullName);
        bool binary = Array.IndexOf(bytes, (byte)0) >= 0 || file.Extension is ".bin" or ".raw";
        return binary ? InstructionEncoding.Decode(bytes) : Assembler.Assemble(File.ReadAllText(file.FullName));
    }

    /// <summary>Parses base16 bytes, with or without spaces between them ("0a 0b" or "0a0b").</summary>
    public static byte[] ParseHex(string text)
    {
        var digits = text.Replace(" ", "").Replace("\n", "").Replace("\r", "").Replace("\t", "");
        if (digits.Length % 2 != 0) throw new FormatException($"hex input has an odd number of digits ({digits.Length})");
        var bytes = new byte[digits.Length / 2];
        for (int i = 0; i < bytes.Length; i++)
            if (!byte.TryParse(digits.AsSpan(2 * i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i]))
                throw new FormatException($"'{digits.Substring(2 * i, 2)}' at byte {i} is not a hex byte");
        return bytes;
    }
}
