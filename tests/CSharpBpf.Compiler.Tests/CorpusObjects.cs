using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Elf;

namespace CSharpBpf.Compiler.Tests;

/// <summary>The [BpfObject] classes of Corpus/, compiled by the generator in this build, with their object files.</summary>
public static class CorpusObjects
{
    private static readonly Lazy<Dictionary<string, Type>> types = new(() =>
        typeof(CorpusObjects).Assembly.GetTypes()
            .Where(t => t.GetCustomAttribute<BpfObjectAttribute>() != null)
            .ToDictionary(t => t.Name));

    /// <summary>Every object's class name, for [MemberData].</summary>
    public static IEnumerable<object[]> Names => types.Value.Keys.OrderBy(n => n, StringComparer.Ordinal).Select(n => new object[] { n });

    /// <summary>The class.</summary>
    public static Type Type(string name) => types.Value[name];

    /// <summary>The object file the generator embedded in the class.</summary>
    public static byte[] ObjectFile(string name) =>
        (byte[])(Type(name).GetProperty("ObjectFile", BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException($"{name} has no generated ObjectFile: did the generator report an error?")).GetValue(null)!;

    /// <summary>The object as text: maps, globals, then each function's disassembly with its relocations.</summary>
    public static string Listing(string name)
    {
        var spec = ElfObjectReader.Read(ObjectFile(name));
        var s = new StringBuilder();
        s.AppendLine($"// {name}.bpf.o, license {spec.License}");
        foreach (var map in spec.Maps)
            s.AppendLine($"map {map.Name}: type {map.Type}, max_entries {map.MaxEntries}, flags {map.Flags}");
        foreach (var global in spec.Globals)
            s.AppendLine($"global {global.Section} {global.Name} at {global.Offset}: {Convert.ToHexString(global.InitialValue.ToArray())}");
        foreach (var function in spec.Functions)
        {
            s.AppendLine();
            s.AppendLine($"{function.Section} {function.Name}: {function.Instructions.Count} instructions");
            s.Append(Disassembler.Disassemble(function.Instructions.ToArray()));
            foreach (var r in function.Relocations) s.AppendLine($"  relocation: slot {r.Slot} -> {r.Symbol}");
        }
        return s.ToString();
    }
}
