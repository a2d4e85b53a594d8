using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CSharpBpf.Bytecode.Btf;
using CSharpBpf.Bytecode.Elf;

namespace CSharpBpf.Loading;

/// <summary>
/// An eBPF object file read and ready to load: its .rodata constants can be changed first (the
/// programs see them as constants, so the verifier prunes what they switch off). Works for the
/// objects this project's compiler writes and for clang's.
/// </summary>
public sealed class BpfObjectFile
{
    private readonly Dictionary<string, byte[]> _sections = new();

    private BpfObjectFile(string name, BpfObjectSpec spec)
    {
        Name = name;
        Spec = spec;
        foreach (var global in spec.Globals)
        {
            if (!_sections.TryGetValue(global.Section, out var bytes)) bytes = Array.Empty<byte>();
            int end = (global.Offset ?? 0) + global.InitialValue.Count;
            if (bytes.Length < end) Array.Resize(ref bytes, end);
            global.InitialValue.ToArray().CopyTo(bytes, global.Offset ?? 0);
            _sections[global.Section] = bytes;
        }
    }

    /// <summary>The object's name (used to name its global-data maps, as libbpf does).</summary>
    public string Name { get; }

    /// <summary>What the object holds.</summary>
    public BpfObjectSpec Spec { get; }

    /// <summary>Reads an object file's bytes.</summary>
    public static BpfObjectFile Open(byte[] elf, string name) => new(name, ElfObjectReader.Read(elf));

    /// <summary>Reads an object file from disk.</summary>
    public static BpfObjectFile Open(string path) => Open(System.IO.File.ReadAllBytes(path), System.IO.Path.GetFileNameWithoutExtension(path).Split('.')[0]);

    /// <summary>The current value of a global variable.</summary>
    public T GetConstant<T>(string name) where T : unmanaged
    {
        var (section, offset, size) = Locate(name, Unsafe.SizeOf<T>());
        return MemoryMarshal.Read<T>(_sections[section].AsSpan(offset, size));
    }

    /// <summary>Sets a global variable's value before load.</summary>
    public void SetConstant<T>(string name, T value) where T : unmanaged
    {
        var (section, offset, size) = Locate(name, Unsafe.SizeOf<T>());
        MemoryMarshal.Write(_sections[section].AsSpan(offset, size), in value);
    }

    private (string Section, int Offset, int Size) Locate(string name, int size)
    {
        var global = Spec.Globals.FirstOrDefault(g => g.Name == name)
            ?? throw new ArgumentException($"the object has no global variable '{name}'; it has: {string.Join(", ", Spec.Globals.Select(g => g.Name))}", nameof(name));
        if (global.InitialValue.Count != size)
            throw new ArgumentException($"'{name}' is {global.InitialValue.Count} bytes, not {size}", nameof(name));
        return (global.Section, global.Offset ?? 0, size);
    }

    /// <summary>The bytes of a global-data section as they will be loaded.</summary>
    public byte[] SectionData(string section) => _sections.TryGetValue(section, out var bytes) ? bytes : Array.Empty<byte>();

    /// <summary>The size in bytes of a BTF type (key and value sizes of maps).</summary>
    internal int SizeOf(int typeId)
    {
        if (typeId == 0) return 0;
        var type = Spec.Types[typeId - 1];
        return type switch
        {
            BtfInt i => i.Size,
            BtfEnum e => e.Size,
            BtfStruct s => s.Size,
            BtfPointer => 8,
            BtfArray a => a.Count * SizeOf(a.Element),
            BtfModifier m => SizeOf(m.Target),
            _ => throw new NotSupportedException($"BTF type {typeId} ({type.Kind}) has no size"),
        };
    }

    /// <summary>Creates the maps and loads every program; with <paramref name="captureVerifierLog"/> each
    /// program keeps the verifier's log (statistics such as "processed N insns").</summary>
    public LoadedObject Load(bool captureVerifierLog = false) => LoadedObject.Create(this, new LoadOptions { CaptureVerifierLog = captureVerifierLog });

    /// <summary>Creates the maps and loads every program as <paramref name="options"/> say (a BTF file to relocate
    /// against, the verifier's log kept).</summary>
    /// <exception cref="System.IO.IOException"><see cref="LoadOptions.KernelBtf"/> cannot be read.</exception>
    /// <exception cref="Bytecode.BpfObjectFormatException"><see cref="LoadOptions.KernelBtf"/> is not BTF.</exception>
    /// <exception cref="NotSupportedException">This kernel lacks a map type, program type, helper or instruction set the
    /// object uses (<see cref="KernelFeatureProbe.Require"/>: the message lists each).</exception>
    /// <exception cref="Syscalls.BpfException">The kernel refuses a map or program (the verifier's log is in the message).</exception>
    public LoadedObject Load(LoadOptions options) => LoadedObject.Create(this, options);
}
