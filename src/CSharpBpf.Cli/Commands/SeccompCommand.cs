using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace CSharpBpf.Cli.Commands;

/// <summary><c>csbpf seccomp</c>: the seccomp filters a built assembly holds ([SeccompFilter] methods, compiled by the
/// generator): <c>list</c> them, <c>show</c> one as classic BPF, or <c>run</c> a command under one.</summary>
public static class SeccompCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var assembly = new Argument<FileInfo>("assembly") { Description = "The built .dll holding [SeccompFilter] methods" };
        var filter = new Option<string?>("--filter", "-f") { Description = "Which filter: Method or Class.Method (needed when the assembly has several)" };
        var command = new Argument<string[]>("command") { Description = "The program to run and its arguments (after --)", Arity = ArgumentArity.OneOrMore };

        var list = new Command("list", "List the seccomp filters in an assembly") { assembly };
        list.SetAction(parse => KernelCommandAction.Run(() =>
        {
            foreach (var (name, policy) in Policies(parse.GetValue(assembly)!))
                Console.Out.WriteLine($"{name}\t{policy.Program.Count} instructions");
        }));

        var show = new Command("show", "Print a seccomp filter as classic BPF (tcpdump -d's listing)") { assembly, filter };
        show.SetAction(parse => KernelCommandAction.Run(() =>
            Console.Out.Write(Find(parse.GetValue(assembly)!, parse.GetValue(filter)).Program.ToListing())));

        var run = new Command("run", "Run a command under a seccomp filter: sets no_new_privs, installs the filter, then execs the command")
        {
            assembly, filter, command,
        };
        run.SetAction(parse =>
        {
            var policy = default(SeccompPolicy);
            int found = KernelCommandAction.Run(() => policy = Find(parse.GetValue(assembly)!, parse.GetValue(filter)));
            if (found != 0) return found;
            var words = parse.GetValue(command)!;
            // Exec returns only by throwing; 127 is the shell's "could not run the command".
            return KernelCommandAction.Run(() => Seccomp.Exec(policy!, words[0], words.Skip(1).ToArray())) == 0 ? 0 : 127;
        });

        return new Command("seccomp", "Seccomp filters compiled from [SeccompFilter] methods: list, show, run a command under one") { list, show, run };
    }

    private static SeccompPolicy Find(FileInfo file, string? name)
    {
        var policies = Policies(file);
        var matches = policies.Where(p => name == null || p.Name == name || p.Name.EndsWith("." + name, StringComparison.Ordinal)).ToList();
        if (matches.Count == 1) return matches[0].Policy;
        string available = policies.Count == 0 ? "it has none (is it built with the CSharpBpf package?)" : "it has " + string.Join(", ", policies.Select(p => p.Name));
        throw new ArgumentException(matches.Count == 0
            ? $"{file.Name} has no seccomp filter {(name == null ? "" : $"'{name}' ")}: {available}"
            : $"{file.Name} has several seccomp filters: pick one with --filter ({string.Join(", ", matches.Select(p => p.Name))})");
    }

    /// <summary>Every generated SeccompFilters property, by Class.Method. CSharpBpf itself is shared with this tool, so the
    /// policies are this tool's SeccompPolicy; other dependencies load from the assembly's directory.</summary>
    private static List<(string Name, SeccompPolicy Policy)> Policies(FileInfo file)
    {
        if (!file.Exists) throw new FileNotFoundException($"{file.FullName} does not exist", file.FullName);
        var context = new PolicyLoadContext(file.FullName);
        var assembly = context.LoadFromAssemblyPath(file.FullName);
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t != null).ToArray()!;
        }
        return types.Where(t => t.Name == "SeccompFilters" && t.DeclaringType != null)
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Static).Where(p => p.PropertyType == typeof(SeccompPolicy))
                .Select(p => ($"{t.DeclaringType!.FullName}.{p.Name}", (SeccompPolicy)p.GetValue(null)!)))
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ToList();
    }

    private sealed class PolicyLoadContext(string path) : AssemblyLoadContext("seccomp-policy")
    {
        private readonly AssemblyDependencyResolver _resolver = new(path);

        protected override Assembly? Load(AssemblyName name)
        {
            // One CSharpBpf: the tool's, so the generated properties' type is the SeccompPolicy this tool installs.
            if (name.Name is "CSharpBpf" or "CSharpBpf.Bytecode") return null;
            return _resolver.ResolveAssemblyToPath(name) is { } resolved ? LoadFromAssemblyPath(resolved) : null;
        }
    }
}
