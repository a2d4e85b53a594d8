using System.IO;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Cli.Tests;

/// <summary>csbpf asm → disasm → asm gives the same bytes; errors point at file:line:column; vm run prints r0.</summary>
public class AssemblerCommandTests
{
    [Fact]
    public void Asm_disasm_asm_round_trips_the_sample()
    {
        string dir = Directory.CreateTempSubdirectory("csbpf-cli-").FullName;
        try
        {
            string sample = Path.Combine(RepositoryPaths.Root, "samples", "asm", "ipv4-protocol.asm");
            string first = Path.Combine(dir, "first.bin"), text = Path.Combine(dir, "again.asm"), second = Path.Combine(dir, "second.bin");
            Assert.Equal(0, CsbpfProcess.Run(null, "asm", sample, "-o", first).ExitCode);
            var disasm = CsbpfProcess.Run(null, "disasm", first);
            Assert.Equal(0, disasm.ExitCode);
            File.WriteAllText(text, disasm.Stdout);
            Assert.Equal(0, CsbpfProcess.Run(null, "asm", text, "-o", second).ExitCode);
            Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Asm_errors_name_file_line_and_column()
    {
        string file = Path.Combine(Directory.CreateTempSubdirectory("csbpf-cli-").FullName, "bad.asm");
        File.WriteAllText(file, "mov %r0, 1\nadd %r0, %r12\nexit\n");
        var (exit, _, stderr) = CsbpfProcess.Run(null, "asm", file);
        Assert.Equal(1, exit);
        Assert.Contains("bad.asm:2:10: error:", stderr);
        Assert.Contains("%r12", stderr);
    }

    [Fact]
    public void Vm_run_prints_r0_of_the_sample()
    {
        string sample = Path.Combine(RepositoryPaths.Root, "samples", "asm", "ipv4-protocol.asm");
        var (exit, stdout, _) = CsbpfProcess.Run(null, "vm", "run", sample, "--mem", "000000000000000000000000080045000020000000004011000000000000000000000000");
        Assert.Equal(0, exit);
        Assert.StartsWith("r0 = 0x11 (17)", stdout);
    }
}
