using System;
using System.CommandLine;
using System.IO;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Isa;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf asm FILE -o OUT</c>: assembly text to raw eBPF bytecode.</summary>
public static class AsmCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var input = new Argument<FileInfo>("file") { Description = "Assembly in the conformance suite's syntax" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the bytecode (default: FILE with extension .bin)" };
        var command = new Command("asm", "Assemble eBPF assembly into raw bytecode (8 bytes per instruction, little-endian)") { input, output };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(input)!;
            var target = parse.GetValue(output) ?? new FileInfo(Path.ChangeExtension(file.FullName, ".bin"));
            try
            {
                var program = Assembler.Assemble(File.ReadAllText(file.FullName));
                File.WriteAllBytes(target.FullName, InstructionEncoding.Encode(program));
                Console.Out.WriteLine($"{target.Name}: {program.Length} instructions, {InstructionEncoding.CountSlots(program) * InstructionEncoding.SlotSize} bytes");
                return 0;
            }
            catch (AssemblyException e)
            {
                // The compiler-style "file:line:column: message" lets editors jump to the error.
                Console.Error.WriteLine($"{file.Name}:{e.Line}:{e.Column}: error: {e.Message}");
                return 1;
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"{file.Name}: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
