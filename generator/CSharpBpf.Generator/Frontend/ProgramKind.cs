using Microsoft.CodeAnalysis;

namespace CSharpBpf.Generator.Frontend
{
    /// <summary>The program types the compiler lowers, with their kernel program type number.</summary>
    internal enum ProgramKind
    {
        SocketFilter = 1,
        SchedClassifier = 3,
        Xdp = 6,
    }

    /// <summary>Reads a method's program attribute: kind, ELF section, context type and return type.</summary>
    internal static class ProgramKinds
    {
        public sealed record ProgramAttribute(ProgramKind Kind, string Section, string Attribute, string ContextType, string ReturnType);

        public static ProgramAttribute? Of(AttributeData attribute)
        {
            var name = attribute.AttributeClass?.ToDisplayString();
            var args = attribute.ConstructorArguments;
            switch (name)
            {
                case "CSharpBpf.XdpAttribute":
                    return new ProgramAttribute(ProgramKind.Xdp, "xdp", "Xdp", "CSharpBpf.XdpContext", "CSharpBpf.XdpAction");
                case "CSharpBpf.SocketFilterAttribute":
                    return new ProgramAttribute(ProgramKind.SocketFilter, "socket", "SocketFilter", "CSharpBpf.SkBuff", "uint");
                case "CSharpBpf.TrafficControlAttribute":
                    string section = args.Length == 1 && args[0].Value is int direction ? (direction == 0 ? "tcx/ingress" : "tcx/egress") : "tc";
                    return new ProgramAttribute(ProgramKind.SchedClassifier, section, "TrafficControl", "CSharpBpf.SkBuff", "CSharpBpf.TcAction");
                default:
                    return null;
            }
        }
    }
}
