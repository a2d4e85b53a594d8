namespace CSharpBpf.Loading;

/// <summary>What a data relocation refers to: a map of the object, or a global-data section at an offset.</summary>
/// <param name="Map">The map's name, when the lddw loads a map.</param>
/// <param name="Section">The global-data section (.rodata, .data, .bss), when it loads a global's address.</param>
/// <param name="Offset">The offset within <paramref name="Section"/>.</param>
public readonly record struct DataReference(string? Map, string? Section, int Offset);
