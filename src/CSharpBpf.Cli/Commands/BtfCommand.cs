using System;
using System.CommandLine;
using System.IO;
using CSharpBpf.Bytecode;
using CSharpBpf.Bytecode.Btf;
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
        var tracepoints = new Option<string?>("--tracepoint") { Description = "Comma-separated tracepoints (e.g. sched_switch) whose arguments to write as a TracingContext<TArgs> struct for [BtfTracepoint]" };
        var functions = new Option<string?>("--function") { Description = "Comma-separated kernel functions whose arguments and result to write as a struct for [Fentry]/[Fexit]" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the C# here (default: standard output)" };
        var ns = new Option<string>("--namespace") { Description = "Namespace of the types", DefaultValueFactory = _ => "KernelTypes" };
        var generate = new Command("generate", "Write C# [KernelType] structs, enums and unions for kernel types, read through CO-RE (KernelPointer<T>)") { types, tracepoints, functions, from, output, ns };
        generate.SetAction(parse =>
        {
            string path = parse.GetValue(from)?.FullName ?? Loading.KernelBtf.VmlinuxPath;
            try
            {
                string[] List(Option<string?> option) => (parse.GetValue(option) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                var bytes = File.ReadAllBytes(path);
                string code = KernelTypeWriter.Write(BtfReader.Read(bytes, 0, bytes.Length).Types, List(types), parse.GetValue(ns)!, path, List(tracepoints), List(functions));
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
