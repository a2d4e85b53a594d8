using System;
using System.CommandLine;
using System.IO;
using CSharpBpf.Bytecode.Asm;
using CSharpBpf.Bytecode.Isa;
using CSharpBpf.Vm;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf vm run FILE [--mem HEX]</c>: runs a program in the userspace VM.</summary>
public static class VmCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var input = new Argument<FileInfo>("file") { Description = "Assembly text, or raw bytecode (.bin)" };
        var mem = new Option<string?>("--mem") { Description = "Input memory as hex bytes; r1 points at it, r2 holds its length" };
        var budget = new Option<long>("--budget") { Description = "Instructions to execute before giving up", DefaultValueFactory = _ => BpfVmOptions.Default.InstructionBudget };
        var run = new Command("run", "Run a program in the userspace VM and print r0") { input, mem, budget };
        run.SetAction(parse =>
        {
            var file = parse.GetValue(input)!;
            try
            {
                var memory = ProgramSource.ParseHex(parse.GetValue(mem) ?? "");
                var vm = new BpfVm(ProgramSource.Load(file), options: new BpfVmOptions { InstructionBudget = parse.GetValue(budget) });
                ulong r0 = vm.Run(memory);
                Console.Out.WriteLine($"r0 = 0x{r0:x} ({(long)r0}) after {vm.ExecutedInstructions} instructions");
                return 0;
            }
            catch (AssemblyException e)
            {
                Console.Error.WriteLine($"{file.Name}:{e.Line}:{e.Column}: error: {e.Reason}");
            }
            catch (Exception e) when (e is BpfVmException or InstructionDecodeException or FormatException or IOException)
            {
                Console.Error.WriteLine($"{file.Name}: error: {e.Message}");
            }
            return 1;
        });
        return new Command("vm", "The userspace eBPF VM") { run };
    }
}
