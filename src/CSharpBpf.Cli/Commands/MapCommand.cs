using System;
using System.CommandLine;
using CSharpBpf.Loading;
using CSharpBpf.Syscalls;
using Spectre.Console;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf map list | dump ID|PATH | update ID|PATH --key HEX --value HEX</c>.</summary>
public static class MapCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var list = new Command("list", "List every map in the kernel");
        list.SetAction(_ => KernelCommandAction.Run(() =>
        {
            var table = new Table().AddColumn("id").AddColumn("type").AddColumn("name").AddColumn(new TableColumn("key").RightAligned())
                .AddColumn(new TableColumn("value").RightAligned()).AddColumn(new TableColumn("max entries").RightAligned());
            foreach (uint id in KernelObjectInfo.MapIds())
            {
                try
                {
                    using var fd = KernelObjectInfo.OpenMap(id);
                    var info = KernelObjectInfo.Map(fd);
                    table.AddRow(info.Id.ToString(), info.Type.ToString(), Markup.Escape(info.Name), info.KeySize.ToString(), info.ValueSize.ToString(), info.MaxEntries.ToString());
                }
                catch (BpfException e) when (KernelObjectInfo.IsGone(e)) { } // freed between listing and opening
            }
            AnsiConsole.Write(table);
        }));

        var reference = new Argument<string>("map") { Description = "A map id or a path in bpffs" };
        var dump = new Command("dump", "Print every key and value, in hex") { reference };
        dump.SetAction(parse => KernelCommandAction.Run(() =>
        {
            using var map = KernelObjectReference.Map(parse.GetValue(reference)!);
            int valueSize = map.IsPerCpu ? ((map.ValueSize + 7) & ~7) * BpfMap.PossibleCpus : map.ValueSize;
            var table = new Table().AddColumn("key").AddColumn("value");
            int count = 0;
            foreach (var key in map.Keys())
            {
                var value = new byte[valueSize];
                if (!map.TryLookup(key, value)) continue;
                table.AddRow(Convert.ToHexString(key).ToLowerInvariant(), Convert.ToHexString(value).ToLowerInvariant());
                count++;
            }
            AnsiConsole.Write(table);
            Console.Out.WriteLine($"{count} entries");
        }));

        var updateReference = new Argument<string>("map") { Description = "A map id or a path in bpffs" };
        var key = new Option<string>("--key") { Description = "The key, in hex", Required = true };
        var value = new Option<string>("--value") { Description = "The value, in hex", Required = true };
        var update = new Command("update", "Write one element") { updateReference, key, value };
        update.SetAction(parse => KernelCommandAction.Run(() =>
        {
            using var map = KernelObjectReference.Map(parse.GetValue(updateReference)!);
            var keyBytes = ProgramSource.ParseHex(parse.GetValue(key)!);
            var valueBytes = ProgramSource.ParseHex(parse.GetValue(value)!);
            if (keyBytes.Length != map.KeySize || valueBytes.Length != map.ValueSize)
                throw new ArgumentException($"map '{map.Name}' takes {map.KeySize}-byte keys and {map.ValueSize}-byte values, not {keyBytes.Length} and {valueBytes.Length}");
            map.Update(keyBytes, valueBytes);
            Console.Out.WriteLine("updated");
        }));
        return new Command("map", "Maps in the kernel") { list, dump, update };
    }
}
