using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>A map field as the front end sees it: kernel type, key and value types, capacity, flags.</summary>
    internal sealed record MapDeclaration(IFieldSymbol Field, string Name, int MapType, ITypeSymbol? KeyType, ITypeSymbol? ValueType, int KeySize, int ValueSize, int MaxEntries, uint Flags);

    /// <summary>A global variable: a static field (or a format string, with no field) in .rodata/.data/.bss
    /// at an offset, with its initial bytes.</summary>
    internal sealed record GlobalDeclaration(IFieldSymbol? Field, string Name, string Section, int Offset, byte[] InitialValue);
}
