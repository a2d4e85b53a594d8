using System;
using System.CommandLine;
using System.IO;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf disasm FILE</c>: raw eBPF bytecode to assembly.</summary>
public static class DisasmCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var input = new Argument<FileInfo>("file") { Description = "Raw bytecode: 8 bytes per instruction, little-endian" };
        var command = new Command("disasm", "Disassemble raw eBPF bytecode into the conformance suite's assembly syntax") { input };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(input)!;
            try
            {
                var program = InstructionEncoding.Decode(File.ReadAllBytes(file.FullName));
                Console.Out.Write(Disassembler.Disassemble(program));
                return 0;
            }
            catch (Exception e) when (e is InstructionDecodeException or IOException)
            {
                Console.Error.WriteLine($"{file.Name}: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
