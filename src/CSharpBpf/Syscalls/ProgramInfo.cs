namespace CSharpBpf.Syscalls;

/// <summary>A program in the kernel as BPF_OBJ_GET_INFO_BY_FD describes it.</summary>
/// <param name="Id">The kernel's id.</param>
/// <param name="Type">The program type.</param>
/// <param name="Name">The name (at most 15 characters).</param>
/// <param name="Tag">The program's tag (a hash of its instructions), as bpftool prints it.</param>
/// <param name="Instructions">Instructions after the verifier's rewriting (xlated).</param>
/// <param name="MapIds">The maps it uses.</param>
/// <param name="RunTimeNanoseconds">Time spent running it while statistics were on (sysctl kernel.bpf_stats_enabled, or
/// <see cref="BpfSyscall.EnableStatistics"/>).</param>
/// <param name="RunCount">Runs counted while statistics were on.</param>
public sealed record ProgramInfo(uint Id, BpfProgramType Type, string Name, string Tag, int Instructions, uint[] MapIds, ulong RunTimeNanoseconds = 0, ulong RunCount = 0);
