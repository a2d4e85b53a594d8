using System;
using System.CommandLine;
using System.IO;
using CSharpBpf.Bytecode;
using CSharpBpf.Tracing;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf btf generate</c>: C# kernel types ([KernelType] structs for CO-RE) from BTF, as
/// <c>bpftool btf dump format c</c> writes vmlinux.h.</summary>
public static class BtfCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var types = new Option<string?>("--types") { Description = "Comma-separated kernel type names (e.g. task_struct,file); the types they hold by value come too. Default: every named type" };
        var from = new Option<FileInfo?>("--from") { Description = $"A raw BTF file (default {Loading.KernelBtf.VmlinuxPath}, the running kernel's)" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the C# here (default: standard output)" };
        var ns = new Option<string>("--namespace") { Description = "Namespace of the types", DefaultValueFactory = _ => "KernelTypes" };
        var generate = new Command("generate", "Write C# [KernelType] structs, enums and unions for kernel types, read through CO-RE (KernelPointer<T>)") { types, from, output, ns };
        generate.SetAction(parse =>
        {
            string path = parse.GetValue(from)?.FullName ?? Loading.KernelBtf.VmlinuxPath;
            try
            {
                var names = (parse.GetValue(types) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                string code = KernelTypeWriter.WriteFile(path, names, parse.GetValue(ns)!);
                if (parse.GetValue(output) is { } file) File.WriteAllText(file.FullName, code);
                else Console.Out.Write(code);
                return 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or BpfObjectFormatException)
            {
                Console.Error.WriteLine($"csbpf btf generate: {e.Message}");
                return 1;
            }
        });
        return new Command("btf", "Kernel types from BTF") { generate };
    }
}
