using System;
using System.CommandLine;
using System.IO;
using CSharpBpf.Tracing;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf tracepoint CATEGORY/NAME</c>: the C# struct of a tracepoint's fields, from its tracefs format.</summary>
public static class TracepointCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var tracepoint = new Argument<string>("tracepoint") { Description = "category/name, e.g. syscalls/sys_enter_openat" };
        var ns = new Option<string?>("--namespace") { Description = "Namespace for the generated struct" };
        var format = new Option<FileInfo?>("--format") { Description = "Read this format file instead of tracefs" };
        var command = new Command("tracepoint", "Print the C# struct for a tracepoint's fields (TracepointContext<TArgs>), from /sys/kernel/tracing/events/<category>/<name>/format") { tracepoint, ns, format };
        command.SetAction(parse =>
        {
            string text = parse.GetValue(tracepoint)!;
            var parts = text.Split('/', ':');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                Console.Error.WriteLine($"'{text}' is not category/name: write e.g. syscalls/sys_enter_openat");
                return 2;
            }
            try
            {
                var file = parse.GetValue(format);
                var parsed = file != null ? TracepointFormat.Parse(parts[0], File.ReadAllText(file.FullName)) : TracepointFormat.Read(parts[0], parts[1]);
                Console.Out.Write(parsed.ToCSharp(parse.GetValue(ns)));
                return 0;
            }
            catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"{text}: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
