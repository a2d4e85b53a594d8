using System.Linq;
using System.Reflection;

namespace CSharpBpf.Compiler.Tests.Behaviour;

/// <summary>A program method of a [BpfObject] class: one of the corpus, or one built at test time (the fuzzer's), whose
/// object file is given.</summary>
public sealed record CorpusProgram(string ObjectName, MethodInfo Method, byte[]? Object = null)
{
    public string Name => Method.Name;

    /// <summary>The object file the generator embedded in the class.</summary>
    public byte[] ObjectFile => Object ?? CorpusObjects.ObjectFile(ObjectName);

    /// <summary>The [BpfObject] class.</summary>
    public System.Type ObjectType => Method.DeclaringType!;

    public bool IsXdp => Method.GetCustomAttribute<XdpAttribute>() != null;
    public bool IsSocketFilter => Method.GetCustomAttribute<SocketFilterAttribute>() != null;

    public static System.Collections.Generic.IEnumerable<object[]> All =>
        CorpusObjects.Names.Select(n => (string)n[0])
            .SelectMany(o => CorpusObjects.Type(o).GetMethods(BindingFlags.Public | BindingFlags.Static)
                .Where(m => m.GetCustomAttributes().Any(a => a is XdpAttribute or SocketFilterAttribute or TrafficControlAttribute))
                .OrderBy(m => m.Name)
                .Select(m => new object[] { o, m.Name }));
}
