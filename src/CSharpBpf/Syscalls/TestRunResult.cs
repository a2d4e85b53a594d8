namespace CSharpBpf.Syscalls;

/// <summary>What BPF_PROG_TEST_RUN reports.</summary>
/// <param name="ReturnValue">The program's return value (the low 32 bits of r0).</param>
/// <param name="DurationNanoseconds">Average run time per repetition, in nanoseconds.</param>
/// <param name="DataOut">The packet after the run.</param>
public sealed record TestRunResult(uint ReturnValue, uint DurationNanoseconds, byte[] DataOut);
