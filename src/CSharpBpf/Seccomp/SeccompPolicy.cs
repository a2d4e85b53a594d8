using System;
using CSharpBpf.Bytecode.Classic;
using CSharpBpf.Bytecode.Classic.Seccomp;

namespace CSharpBpf;

/// <summary>
/// A seccomp filter compiled from a [SeccompFilter] method: the classic BPF program seccomp(2) installs. The generated
/// skeleton makes one per method (<c>MyPolicies.SeccompFilters.Method</c>); <see cref="Seccomp.Install"/> applies it to this
/// process, <c>csbpf seccomp run</c> to a command.
/// </summary>
public sealed class SeccompPolicy
{
    private readonly Lazy<ClassicInterpreter> _interpreter;

    /// <summary>The policy <paramref name="name"/> from its encoded program (struct sock_filter entries, 8 bytes each, as the
    /// generated skeleton holds it).</summary>
    /// <exception cref="ClassicProgramException">seccomp(2) would refuse the program.</exception>
    public SeccompPolicy(string name, byte[] program)
        : this(name, ClassicProgram.Decode(program))
    {
    }

    /// <summary>The policy <paramref name="name"/> with its compiled <paramref name="program"/>.</summary>
    /// <exception cref="ClassicProgramException">seccomp(2) would refuse <paramref name="program"/>.</exception>
    public SeccompPolicy(string name, ClassicProgram program)
    {
        var errors = SeccompValidator.Validate(program);
        if (errors.Count > 0) throw new ClassicProgramException(errors);
        Name = name;
        Program = program;
        _interpreter = new Lazy<ClassicInterpreter>(() => ClassicInterpreter.ForSeccomp(program));
    }

    /// <summary>The method's name.</summary>
    public string Name { get; }

    /// <summary>The filter: print it with <see cref="ClassicProgram.ToListing"/> (tcpdump -d's form).</summary>
    public ClassicProgram Program { get; }

    /// <summary>What the filter answers for <paramref name="data"/>, run in the classic BPF interpreter as the kernel would.</summary>
    public SeccompAction Evaluate(SeccompData data) => new(_interpreter.Value.RunSeccomp(data.ToBytes()));

    /// <inheritdoc/>
    public override string ToString() => $"seccomp policy {Name} ({Program.Count} instructions)";
}
