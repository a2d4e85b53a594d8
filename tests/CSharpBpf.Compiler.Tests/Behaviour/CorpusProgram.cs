using System.Linq;
using System.Reflection;

namespace CSharpBpf.Compiler.Tests.Behaviour;

/// <summary>A program method of a corpus object.</summary>
public sealed record CorpusProgram(string ObjectName, MethodInfo Method)
{
    public string Name => Method.Name;

    public bool IsXdp => Method.GetCustomAttribute<XdpAttribute>() != null;
    public bool IsSocketFilter => Method.GetCustomAttribute<SocketFilterAttribute>() != null;

    public static System.Collections.Generic.IEnumerable<object[]> All =>
        CorpusObjects.Names.Select(n => (string)n[0])
            .SelectMany(o => CorpusObjects.Type(o).GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Where(m => m.GetCustomAttributes().Any(a => a is XdpAttribute or SocketFilterAttribute or TrafficControlAttribute))
                .OrderBy(m => m.Name)
                .Select(m => new object[] { o, m.Name }));
}
