using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>A map as the front end sees it: kernel type, key and value types, capacity, flags, and the C# map class
    /// (BpfHashMap, BpfLog2Histogram, …) with the constant arguments that shape it (a linear histogram's bounds).
    /// <see cref="Field"/> is null for the maps the compiler adds itself (BpfLog's ring buffer).</summary>
    internal sealed record MapDeclaration(IFieldSymbol? Field, string Name, int MapType, ITypeSymbol? KeyType, ITypeSymbol? ValueType, int KeySize, int ValueSize, int MaxEntries, uint Flags,
        string Class, long[] Parameters);

    /// <summary>A global variable: a static field (or a format string, with no field) in .rodata/.data/.bss
    /// at an offset, with its initial bytes.</summary>
    internal sealed record GlobalDeclaration(IFieldSymbol? Field, string Name, string Section, int Offset, byte[] InitialValue);
}
