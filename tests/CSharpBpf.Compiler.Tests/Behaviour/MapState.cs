using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using CSharpBpf.Loading;
using CSharpBpf.RingBuffers;

namespace CSharpBpf.Compiler.Tests.Behaviour;

/// <summary>
/// The contents of a program's maps after a run, as text that compares across runners: every element of
/// hash and array maps ("key=value" in hex, sorted), every ring-buffer record in order, and every mutable
/// global (.data/.bss) by name. A program whose maps or globals end up different in the kernel and in .NET
/// is as wrong as one that returns the wrong value.
/// </summary>
public static class MapState
{
    /// <summary>The names of the maps and mutable global sections <paramref name="program"/> (with its subprograms)
    /// refers to: other programs of the object share the managed maps, so only these are this program's to compare.</summary>
    public static HashSet<string> UsedMaps(CorpusProgram program)
    {
        var spec = Bytecode.Elf.ElfObjectReader.Read(program.ObjectFile);
        var used = new HashSet<string>();
        ProgramLinker.Link(spec, spec.Functions.Single(f => f.Name == program.Name && !f.IsSubprogram), (ins, target) =>
        {
            if (target.Map != null) used.Add(target.Map);
            else if (target.Section is ".data" or ".bss") used.Add(target.Section);
            return ins;
        }, _ => 0);
        return used;
    }

    /// <summary>The mutable globals the program refers to, as the kernel holds them.</summary>
    public static string Kernel(LoadedObject loaded, Type objectType, ISet<string> used, byte[] objectFile) =>
        Normalize(Globals(objectFile, used, section =>
        {
            var map = loaded.Map(section);
            var value = new byte[map.ValueSize];
            map.TryLookup(new byte[4], value);
            return value;
        }).Concat(MapLines(loaded, objectType, used)).ToList());

    /// <summary>The mutable globals the program refers to, as the VM's memory holds them.</summary>
    public static string Vm(Vm.VmMemory memory, ISet<string> used, byte[] objectFile) =>
        Normalize(Globals(objectFile, used, section => memory.Regions.Single(r => r.Name == section).Data).ToList());

    private static IEnumerable<string> Globals(byte[] objectFile, ISet<string> used, Func<string, byte[]> section)
    {
        var spec = Bytecode.Elf.ElfObjectReader.Read(objectFile);
        foreach (var global in spec.Globals.Where(g => used.Contains(g.Section) && g.Offset != null && !IsCompilers(g)))
        {
            var data = section(global.Section);
            yield return $"global {global.Name}={Convert.ToHexString(data, global.Offset!.Value, global.InitialValue.Count)}";
        }
    }

    /// <summary>The compiler's own globals (Bpf.Printk formats, a way out's target that never runs) have no static field.</summary>
    private static bool IsCompilers(Bytecode.Elf.BpfGlobalSpec global) => global.Name.StartsWith("__", StringComparison.Ordinal);

    /// <summary>The mutable globals the program refers to, as the plain .NET run left its static fields.</summary>
    public static string ManagedGlobals(Type objectType, ISet<string> used, byte[] objectFile)
    {
        var spec = Bytecode.Elf.ElfObjectReader.Read(objectFile);
        return Normalize(spec.Globals.Where(g => used.Contains(g.Section) && g.Offset != null && !IsCompilers(g))
            .Select(g => $"global {g.Name}={Hex(objectType.GetField(g.Name, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)!.GetValue(null)!)}")
            .ToList());
    }

    private static List<string> MapLines(LoadedObject loaded, Type objectType, ISet<string> used)
    {
        var lines = new List<string>();
        foreach (var field in MapFields(objectType).Where(f => used.Contains(f.Name)))
        {
            var map = loaded.Map(field.Name);
            if (map.Type == Syscalls.BpfMapType.RingBuffer)
            {
                using var reader = new RingBufferReader(map);
                reader.Poll(record => lines.Add($"{field.Name} record {Convert.ToHexString(record)}"));
                continue;
            }
            if (map.IsPerCpu || map.Type is Syscalls.BpfMapType.ProgramArray or Syscalls.BpfMapType.LpmTrie) continue;
            foreach (var key in map.Keys())
            {
                var value = new byte[map.ValueSize];
                if (map.TryLookup(key, value)) lines.Add($"{field.Name} {Convert.ToHexString(key)}={Convert.ToHexString(value)}");
            }
        }
        return lines;
    }

    /// <summary>The maps and mutable globals the program refers to, as the plain .NET run left them.</summary>
    public static string Managed(Type objectType, ISet<string> used, byte[] objectFile) =>
        Normalize(ManagedGlobals(objectType, used, objectFile).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Concat(ManagedMaps(objectType, used).Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList());

    private static string ManagedMaps(Type objectType, ISet<string> used)
    {
        var lines = new List<string>();
        foreach (var field in MapFields(objectType).Where(f => used.Contains(f.Name)))
        {
            object map = field.GetValue(null)!;
            switch (map)
            {
                case BpfRingBuffer ring:
                    while (ring.TryTake(out var record)) lines.Add($"{field.Name} record {Convert.ToHexString(record)}");
                    break;
                default:
                    var type = map.GetType();
                    string name = type.Name.Split('`')[0];
                    if (name is "BpfHashMap" or "BpfLruHashMap")
                    {
                        foreach (var entry in (IEnumerable)type.GetProperty("Entries")!.GetValue(map)!)
                        {
                            var pair = entry.GetType();
                            lines.Add($"{field.Name} {Hex(pair.GetProperty("Key")!.GetValue(entry)!)}={Hex(pair.GetProperty("Value")!.GetValue(entry)!)}");
                        }
                    }
                    else if (name == "BpfArray")
                    {
                        int count = (int)type.GetProperty("MaxEntries")!.GetValue(map)!;
                        var tryGet = type.GetMethod("TryGetValue")!;
                        for (uint i = 0; i < count; i++)
                        {
                            var args = new object?[] { i, null };
                            if ((bool)tryGet.Invoke(map, args)!) lines.Add($"{field.Name} {Hex(i)}={Hex(args[1]!)}");
                        }
                    }
                    break;
            }
        }
        return Normalize(lines);
    }

    // Ring-buffer records keep their order; map elements have none.
    private static string Normalize(List<string> lines) =>
        string.Join("\n", lines.Where(l => l.Contains(" record ")).Concat(lines.Where(l => !l.Contains(" record ")).OrderBy(l => l, StringComparer.Ordinal)));

    private static IEnumerable<FieldInfo> MapFields(Type objectType) =>
        objectType.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(f => f.FieldType.GetCustomAttribute<BpfMapKindAttribute>() != null);

    /// <summary>The value's bytes with its padding zeroed: .NET keeps no promise about padding (the JIT may rebuild a
    /// promoted struct in a temporary), and its maps compare keys by field, so padding is not part of a managed value.</summary>
    private static string Hex(object value)
    {
        var type = value.GetType();
        var bytes = new byte[Marshal.SizeOf(type.IsEnum ? Enum.GetUnderlyingType(type) : type)];
        Write(value, bytes, 0);
        return Convert.ToHexString(bytes);
    }

    private static void Write(object value, byte[] bytes, int offset)
    {
        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || type.GetCustomAttribute<System.Runtime.CompilerServices.InlineArrayAttribute>() != null)
        {
            var handle = GCHandle.Alloc(new byte[Marshal.SizeOf(type.IsEnum ? Enum.GetUnderlyingType(type) : type)], GCHandleType.Pinned);
            try
            {
                Marshal.StructureToPtr(type.IsEnum ? Convert.ChangeType(value, Enum.GetUnderlyingType(type)) : value, handle.AddrOfPinnedObject(), false);
                ((byte[])handle.Target!).CopyTo(bytes, offset);
            }
            finally { handle.Free(); }
            return;
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            Write(field.GetValue(value)!, bytes, offset + (int)Marshal.OffsetOf(type, field.Name));
    }
}
