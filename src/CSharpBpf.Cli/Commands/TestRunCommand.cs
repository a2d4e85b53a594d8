using System;
using System.CommandLine;
using Spectre.Console;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf test-run ID|PATH --data HEX [--repeat N]</c>: BPF_PROG_TEST_RUN of an XDP, socket filter or tc program.</summary>
public static class TestRunCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var reference = new Argument<string>("program") { Description = "A program id or a path in bpffs" };
        var data = new Option<string>("--data") { Description = "The packet, in hex", Required = true };
        var repeat = new Option<uint>("--repeat") { Description = "Runs, for timing", DefaultValueFactory = _ => 1 };
        var command = new Command("test-run", "Run a program in the kernel on a packet (BPF_PROG_TEST_RUN)") { reference, data, repeat };
        command.SetAction(parse => KernelCommandAction.Run(() =>
        {
            using var program = KernelObjectReference.Program(parse.GetValue(reference)!);
            var result = program.TestRun(ProgramSource.ParseHex(parse.GetValue(data)!), parse.GetValue(repeat));
            var table = new Table().AddColumn("program").AddColumn("return value").AddColumn("ns per run").AddColumn("packet out");
            table.AddRow(Markup.Escape(program.Name), $"{result.ReturnValue} (0x{result.ReturnValue:x})", result.DurationNanoseconds.ToString(), Convert.ToHexString(result.DataOut).ToLowerInvariant());
            AnsiConsole.Write(table);
        }));
        return command;
    }
}
