using System;
using System.CommandLine;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Vm;

namespace CSharpBpf.Cli.Commands;

/// <summary>
/// <c>csbpf conformance-plugin [MEM]</c>: the bpf_conformance runner's plugin protocol, so the suite's
/// own runner drives our VM. The program arrives on stdin as base16 bytes (8 per instruction, spaces
/// allowed), the memory as the optional argument; r0 goes to stdout in hex. Any failure prints a
/// message to stderr and exits non-zero.
/// </summary>
public static class ConformancePluginCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var memory = new Argument<string?>("memory") { Description = "Input memory as base16 bytes", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("conformance-plugin", "Run one program for the bpf_conformance runner: bytecode as hex on stdin, memory as an argument, r0 in hex on stdout") { memory };
        command.SetAction(parse =>
        {
            try
            {
                var program = InstructionEncoding.Decode(ProgramSource.ParseHex(Console.In.ReadToEnd()));
                if (program.Length == 0) throw new FormatException("no program on stdin");
                ulong r0 = new BpfVm(program).Run(ProgramSource.ParseHex(parse.GetValue(memory) ?? ""));
                Console.Out.WriteLine(r0.ToString("x"));
                return 0;
            }
            catch (Exception e) when (e is BpfVmException or InstructionDecodeException or FormatException)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }
}
