using CSharpBpf.Bytecode;

namespace CSharpBpf.Generator.Model
{
    // The values that flow from the compile step to the output step of the incremental generator:
    // records and value arrays only (no symbols, no syntax), so an unchanged object compares equal
    // and its output step is skipped.

    /// <summary>One [BpfObject] class compiled: where it is declared, the object file's bytes, and what
    /// the skeleton exposes.</summary>
    internal sealed record ObjectModel(
        string? Namespace,
        string ClassName,
        string FileName,
        EquatableArray<byte> ObjectBytes,
        EquatableArray<ProgramModel> Programs,
        EquatableArray<MapModel> Maps,
        EquatableArray<ConstantModel> Constants,
        EquatableArray<LogSiteModel> LogSites,
        EquatableArray<SeccompFilterModel> SeccompFilters);

    /// <summary>A [SeccompFilter] method compiled: its name and the classic BPF program (struct sock_filter array, 8 bytes each).</summary>
    internal sealed record SeccompFilterModel(string MethodName, EquatableArray<byte> Program);

    /// <summary>A program: the C# method, its ELF section and kernel program type.</summary>
    internal sealed record ProgramModel(string MethodName, string Section, int ProgramType);

    /// <summary>A map: the field, its kernel type, the C# key and value types the handle uses (fully qualified; null when the map has none),
    /// the C# map class (which picks the skeleton's handle) and its constant shape arguments (a linear histogram's bounds).</summary>
    internal sealed record MapModel(string FieldName, int MapType, string? KeyType, string? ValueType, string Class, EquatableArray<long> Parameters);

    /// <summary>A BpfLog call: the record's site number is its index; level, template, value kinds and source.</summary>
    internal sealed record LogSiteModel(int Level, string Template, EquatableArray<LogValueModel> Values, string Source);

    /// <summary>A BpfLog hole: CSharpBpf.Logging.BpfLogValueKind's member name and the bytes it takes.</summary>
    internal sealed record LogValueModel(string Kind, int Size);

    /// <summary>A static readonly field in .rodata the skeleton lets the user set before load.</summary>
    internal sealed record ConstantModel(string FieldName, string Type, int Offset, int Size, long InitialValue);

}
