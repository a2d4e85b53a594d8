using System.CommandLine;
using System.Linq;
using CSharpBpf.Loading;
using CSharpBpf.Syscalls;
using Spectre.Console;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf prog list</c> and <c>csbpf prog show ID|PATH</c>: the programs loaded in the kernel.</summary>
public static class ProgCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var list = new Command("list", "List every program loaded in the kernel");
        list.SetAction(_ => KernelCommandAction.Run(() =>
        {
            var table = Columns();
            foreach (uint id in KernelObjectInfo.ProgramIds())
            {
                try
                {
                    using var fd = KernelObjectInfo.OpenProgram(id);
                    AddRow(table, KernelObjectInfo.Program(fd));
                }
                catch (BpfException e) when (KernelObjectInfo.IsGone(e)) { } // unloaded between listing and opening
            }
            AnsiConsole.Write(table);
        }));

        var reference = new Argument<string>("program") { Description = "A program id or a path in bpffs" };
        var show = new Command("show", "Show one program") { reference };
        show.SetAction(parse => KernelCommandAction.Run(() =>
        {
            using var program = KernelObjectReference.Program(parse.GetValue(reference)!);
            var table = Columns();
            AddRow(table, KernelObjectInfo.Program(program.Descriptor));
            AnsiConsole.Write(table);
        }));
        return new Command("prog", "Programs in the kernel") { list, show };
    }

    private static Table Columns() => new Table().AddColumn("id").AddColumn("type").AddColumn("name").AddColumn("tag").AddColumn(new TableColumn("insns").RightAligned()).AddColumn("map ids");

    private static void AddRow(Table table, ProgramInfo info) =>
        table.AddRow(info.Id.ToString(), info.Type.ToString(), Markup.Escape(info.Name), info.Tag, info.Instructions.ToString(), string.Join(",", info.MapIds));
}
