namespace CSharpBpf.Syscalls;

/// <summary>A map in the kernel as BPF_OBJ_GET_INFO_BY_FD describes it.</summary>
/// <param name="Id">The kernel's id.</param>
/// <param name="Type">The map type.</param>
/// <param name="Name">The name (at most 15 characters).</param>
/// <param name="KeySize">Key size in bytes.</param>
/// <param name="ValueSize">Value size in bytes.</param>
/// <param name="MaxEntries">Capacity.</param>
/// <param name="Flags">Map flags.</param>
public sealed record MapInfo(uint Id, BpfMapType Type, string Name, int KeySize, int ValueSize, int MaxEntries, uint Flags);
