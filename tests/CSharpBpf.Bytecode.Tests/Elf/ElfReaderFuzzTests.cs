using System;
using System.IO;
using CSharpBpf.Bytecode.Elf;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Bytecode.Tests.Elf;

/// <summary>Mutated objects (bit flips, random bytes, truncation, garbage headers) either read or fail
/// with <see cref="BpfObjectFormatException"/> — never any other exception. Fixed seeds, so a failure reproduces.</summary>
public class ElfReaderFuzzTests
{
    [Theory]
    [InlineData("ours", 1)]
    [InlineData("ours", 2)]
    [InlineData("clang", 3)]
    [InlineData("clang", 4)]
    public void Mutated_objects_fail_only_with_format_errors(string source, int seed)
    {
        byte[] original = source == "ours" ? ElfObjectWriter.Write(SampleObjects.Firewall()) : ClangObject();
        var random = new Random(seed);
        int formatErrors = 0, read = 0;
        for (int i = 0; i < 2000; i++)
        {
            byte[] mutated = Mutate(original, random);
            try
            {
                ElfObjectReader.Read(mutated);
                read++;
            }
            catch (BpfObjectFormatException e)
            {
                Assert.False(string.IsNullOrEmpty(e.Section));
                formatErrors++;
            }
            catch (Exception e)
            {
                File.WriteAllBytes(Path.Combine(Path.GetTempPath(), $"csbpf-fuzz-{source}-{seed}-{i}.o"), mutated);
                Assert.Fail($"case {i} (seed {seed}) threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        Assert.Equal(2000, formatErrors + read);
        Assert.True(formatErrors > 0, "some mutations must be refused");
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0: // flip bits anywhere
                for (int n = random.Next(1, 8); n > 0; n--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // random bytes in the ELF header or the section header table at the end
                int region = random.Next(2) == 0 ? random.Next(64) : bytes.Length - 1 - random.Next(Math.Min(bytes.Length, 64 * 14));
                for (int n = random.Next(1, 4); n > 0; n--) bytes[Math.Clamp(region + random.Next(-4, 4), 0, bytes.Length - 1)] = (byte)random.Next(256);
                return bytes;
            case 2: // truncate
                return bytes.AsSpan(0, random.Next(bytes.Length)).ToArray();
            default: // overwrite a 32-bit word with an extreme value
                int at = random.Next(bytes.Length - 4);
                BitConverter.GetBytes(random.Next(3) switch { 0 => uint.MaxValue, 1 => 0x7fffffffu, _ => (uint)random.Next() }).CopyTo(bytes, at);
                return bytes;
        }
    }

    private static byte[] ClangObject()
    {
        string output = Path.Combine(Directory.CreateTempSubdirectory("csbpf-fuzz-").FullName, "counter.o");
        ExternalTool.Run("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c",
            Path.Combine(RepositoryPaths.Root, "tests", "fixtures", "c", "counter.bpf.c"), "-o", output).EnsureSuccess();
        return File.ReadAllBytes(output);
    }
}
