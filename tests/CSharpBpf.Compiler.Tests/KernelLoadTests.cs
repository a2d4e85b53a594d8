using CSharpBpf.Loading;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests;

/// <summary>Every corpus object goes through the real verifier.</summary>
public sealed class KernelLoadTests
{
    [KernelTheory]
    [MemberData(nameof(CorpusObjects.Names), MemberType = typeof(CorpusObjects))]
    public void Every_program_passes_the_kernel_verifier(string name)
    {
        using var loaded = BpfObjectFile.Open(CorpusObjects.ObjectFile(name), name).Load();
        Assert.NotEmpty(loaded.Programs);
        foreach (var program in loaded.Programs.Values) Assert.False(program.Descriptor.IsInvalid);
    }
}
