using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using CSharpBpf.Loading;
using Spectre.Console;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf load OBJ DIR</c>: loads an object (ours or clang's) and pins its programs and maps under DIR, like <c>bpftool prog loadall</c>.</summary>
public static class LoadCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var input = new Argument<FileInfo>("object") { Description = "An eBPF ELF object" };
        var directory = new Argument<string>("directory") { Description = "A directory in bpffs to pin programs and maps in, e.g. /sys/fs/bpf/fw" };
        var command = new Command("load", "Load an object's maps and programs and pin them in bpffs") { input, directory };
        command.SetAction(parse => KernelCommandAction.Run(() =>
        {
            var file = parse.GetValue(input)!;
            string pins = parse.GetValue(directory)!;
            // Checked before anything is loaded or a directory made: pins live only in bpffs.
            if (!CSharpBpf.Syscalls.BpfFileSystem.Contains(pins))
                throw new ArgumentException($"{pins} is not in a bpf filesystem: pin under /sys/fs/bpf (mount -t bpf bpf /sys/fs/bpf where it is not mounted)");
            using var loaded = BpfObjectFile.Open(file.FullName).Load();
            Directory.CreateDirectory(pins);
            var table = new Table().AddColumn("kind").AddColumn("name").AddColumn("type").AddColumn("pinned at");
            foreach (var program in loaded.Programs.Values.OrderBy(p => p.Name))
            {
                string path = Path.Combine(pins, program.Name);
                program.Pin(path);
                table.AddRow("program", program.Name, $"{program.Type} ({program.InstructionCount} insns)", path);
            }
            foreach (var map in loaded.Maps.Values.OrderBy(m => m.Name))
            {
                string path = Path.Combine(pins, map.Name.Replace('.', '_')); // bpffs reserves names with dots
                map.Pin(path);
                table.AddRow("map", Markup.Escape(map.Name), $"{map.Type} ({map.KeySize}/{map.ValueSize} B, {map.MaxEntries})", path);
            }
            AnsiConsole.Write(table);
        }));
        return command;
    }
}
