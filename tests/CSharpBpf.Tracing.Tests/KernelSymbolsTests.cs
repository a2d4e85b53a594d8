using System;
using System.IO;
using CSharpBpf.Tracing;
using Xunit;

namespace CSharpBpf.Tracing.Tests;

/// <summary>Kernel stack addresses to names, from a kallsyms-format file.</summary>
public sealed class KernelSymbolsTests
{
    [Fact]
    public void Addresses_resolve_to_the_function_below_them_with_an_offset()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, """
            ffffffff81000000 T _stext
            ffffffff81000100 t do_syscall_64
            ffffffff81000200 D some_data
            ffffffffc0000000 t veth_xmit	[veth]
            """.Replace("\t", " "));
        var symbols = KernelSymbols.Load(path);
        File.Delete(path);

        Assert.Equal("do_syscall_64", symbols.Resolve(0xffffffff81000100));
        Assert.Equal("do_syscall_64+0x1a0", symbols.Resolve(0xffffffff810002a0)); // data symbols are not functions
        Assert.Equal("veth_xmit [veth]+0x10", symbols.Resolve(0xffffffffc0000010));
        Assert.Equal("0x1000", symbols.Resolve(0x1000));

        var stack = new StackTrace();
        stack[0] = 0xffffffff81000104;
        stack[1] = 0xffffffff81000000;
        Assert.Equal(new[] { "do_syscall_64+0x4", "_stext" }, symbols.Resolve(stack));
    }

    [Fact]
    public void Hidden_addresses_say_to_run_as_root()
    {
        string path = Path.GetTempFileName();
        File.WriteAllText(path, "0000000000000000 T _stext\n0000000000000000 t do_syscall_64\n");
        var error = Assert.Throws<InvalidOperationException>(() => KernelSymbols.Load(path));
        File.Delete(path);
        Assert.Contains("run as root", error.Message);
    }
}
