using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CSharpBpf.Bytecode.Btf;

namespace CSharpBpf.Tracing;

/// <summary>
/// Writes C# declarations of kernel types from BTF, as <c>bpftool btf dump format c</c> writes vmlinux.h: the named
/// structs, unions and enums and every type they hold by value, as <see cref="KernelTypeAttribute"/> structs with the
/// kernel's offsets and size (explicit layout; unions overlap), anonymous members flattened into their parent as C
/// reads them, arrays as [InlineArray] structs, bitfields as properties over the bytes that hold them, pointers to
/// written structs as <see cref="KernelPointer{T}"/> properties over a private address field, and other pointers as the
/// opaque <see cref="KernelPointer"/>. Behind <c>csbpf btf generate</c>.
/// </summary>
/// <remarks>
/// No instance field of a written struct has a generic type: the runtime's type loader can fail (dotnet/runtime#130661:
/// SIGSEGV, depending on the order types load) while laying out a struct whose field is a generic instantiation over a
/// struct that holds it, as <c>KernelPointer&lt;Dentry&gt; d_parent</c> inside <c>Dentry</c> would be. A typed pointer
/// is therefore a property (<see cref="KernelFieldAttribute.Offset"/> gives its member's offset) over a ulong field.
/// Names are stable across kernels: a struct behind a typedef takes the typedef's name (<c>kuid_t</c> → <c>KuidT</c>), an
/// anonymous one its first holder's and member's (<c>CallSingleNodeAFlags</c>); a member whose name differs only by
/// leading underscores from another's (<c>__d_name</c>, <c>d_name</c>) leaves the plain name to the one without; and a
/// name .NET's implicit usings already give (<c>File</c>, <c>Path</c>) takes a <c>Struct</c>/<c>Enum</c> suffix.
/// </remarks>
public sealed class KernelTypeWriter
{
    private readonly IReadOnlyList<BtfType> _types;
    private readonly Dictionary<int, string> _names = new();        // type id → C# name, for every type written
    private readonly List<int> _order = new();                       // struct, union and enum ids, in the order written
    private readonly SortedDictionary<string, (string Element, int Count)> _arrays = new(StringComparer.Ordinal);
    private readonly HashSet<string> _usedNames = new(StringComparer.Ordinal);
    private readonly List<(string Name, string What, IReadOnlyList<BtfParameter> Slots)> _arguments = new();  // TracingContext<TArgs> structs

    private readonly Dictionary<int, string> _typedefs = new();     // anonymous struct, union or enum id → its typedef's name

    /// <summary>Type names in the namespaces .NET's implicit usings import (System, System.IO, System.Linq,
    /// System.Collections.Generic, System.Net.Http, System.Threading, System.Threading.Tasks) that kernel types would
    /// otherwise take: with <c>using</c> of both namespaces, the name would be ambiguous.</summary>
    private static readonly HashSet<string> TakenByDotNet = new(StringComparer.Ordinal)
    {
        "Action", "Activator", "AppContext", "AppDomain", "Array", "Attribute", "Barrier", "Buffer", "Comparer", "Console",
        "Convert", "Delegate", "Directory", "Enum", "Enumerable", "Environment", "Exception", "File", "Half", "HashCode",
        "Index", "Interlocked", "Lazy", "Lock", "Math", "Monitor", "Mutex", "Nullable", "Object", "Parallel", "Path",
        "Queue", "Random", "Range", "Semaphore", "Stack", "Stream", "String", "Task", "Thread", "ThreadPool", "Timeout",
        "Timer", "Tuple", "Type", "Version", "Volatile", "WaitHandle",
    };

    private KernelTypeWriter(IReadOnlyList<BtfType> types)
    {
        _types = types;
        for (int i = 0; i < types.Count; i++)
            if (types[i] is BtfModifier { ModifierKind: BtfKind.Typedef, Name.Length: > 0 } typedef
                && Skip(typedef.Target) is var (target, behind) && behind is BtfStruct or BtfEnum && behind.Name.Length == 0)
                _typedefs.TryAdd(target, typedef.Name);
    }

    /// <summary>C# for <paramref name="names"/> (struct, union, enum or typedef names) and what they hold by value.</summary>
    /// <param name="types">The BTF (ids from 1 in list order), e.g. <see cref="Loading.KernelBtf.Types"/>.</param>
    /// <param name="names">The kernel names wanted, e.g. task_struct; none means every named struct, union and enum
    /// (all of vmlinux.h).</param>
    /// <param name="namespaceName">The namespace of the declarations.</param>
    /// <param name="source">Where the BTF came from, for the header comment.</param>
    /// <param name="tracepoints">Tracepoints (e.g. sched_switch) whose arguments to write as a struct for
    /// <see cref="TracingContext{TArgs}"/> in a [BtfTracepoint] program, from the kernel's __bpf_trace_&lt;name&gt;.</param>
    /// <param name="functions">Kernel functions (e.g. do_sys_openat2) whose arguments, then return value, to write as a
    /// struct for [Fentry]/[Fexit] programs.</param>
    /// <exception cref="ArgumentException">A name the BTF has no struct, union, enum or typedef for, or no tracepoint or
    /// function by that name.</exception>
    public static string Write(IReadOnlyList<BtfType> types, IEnumerable<string> names, string namespaceName, string source,
        IEnumerable<string>? tracepoints = null, IEnumerable<string>? functions = null)
    {
        var writer = new KernelTypeWriter(types);
        var wanted = names.Select(n => n.Trim()).Where(n => n.Length > 0).Distinct().ToList();
        var events = (tracepoints ?? Array.Empty<string>()).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct().ToList();
        var calls = (functions ?? Array.Empty<string>()).Select(n => n.Trim()).Where(n => n.Length > 0).Distinct().ToList();
        if (wanted.Count == 0 && events.Count == 0 && calls.Count == 0)
        {
            for (int i = 0; i < types.Count; i++)
                if (types[i] is BtfStruct { Name.Length: > 0 } or BtfEnum { Name.Length: > 0 }) writer.Reach(i + 1);
        }
        foreach (var name in wanted) writer.Reach(writer.Find(name));
        foreach (var name in events) writer.Arguments(name, tracepoint: true);
        foreach (var name in calls) writer.Arguments(name, tracepoint: false);
        return writer.Emit(wanted.Concat(events.Select(e => "tracepoint " + e)).Concat(calls.Select(f => "function " + f)).ToList(), namespaceName, source);
    }

    /// <summary>Records a tracepoint's or function's arguments (named as in the kernel's __bpf_trace_&lt;tracepoint&gt; or
    /// the function's prototype) and reaches the structs they point at, so those pointers come out typed.</summary>
    private void Arguments(string name, bool tracepoint)
    {
        string func = tracepoint ? "__bpf_trace_" + name : name;
        var proto = Prototype(f => f.Name == func);
        if (proto == null && tracepoint && Typedef("btf_trace_" + name) is BtfFuncProto typed)
        {
            // An event of a shared template (sched_wakeup of sched_wakeup_template) has its typedef; the template's probe
            // function has the same parameter types, and their names.
            var types = typed.Parameters.Select(p => p.Type).ToList();
            proto = Prototype(f => f.Name.StartsWith("__bpf_trace_", StringComparison.Ordinal)
                && _types[f.Prototype - 1] is BtfFuncProto candidate && candidate.Parameters.Select(p => p.Type).SequenceEqual(types)) ?? typed;
        }
        if (proto == null)
            throw new ArgumentException(tracepoint ? $"the BTF has no tracepoint '{name}' (no btf_trace_{name})" : $"the BTF has no function '{name}'");
        // A tracepoint's probe takes __data first, which programs never see; a function's return value follows its arguments.
        var slots = proto.Parameters.Skip(tracepoint ? 1 : 0).ToList();
        if (!tracepoint && proto.ReturnType != 0) slots.Add(new BtfParameter("result", proto.ReturnType));
        foreach (var p in slots)
            if (Skip(p.Type).Type is BtfPointer pointer && Skip(pointer.Target).Type is BtfStruct { Name.Length: > 0 }) Reach(Skip(pointer.Target).Id);
        _arguments.Add((Unique(Pascal(name) + "Args"), tracepoint ? $"tracepoint {name}" : $"function {name}", slots));
    }

    /// <summary><see cref="Write"/> for a raw BTF file (such as a copy of /sys/kernel/btf/vmlinux checked into a project):
    /// what the build's &lt;BpfKernelTypes&gt; items and <c>csbpf btf generate --from</c> run.</summary>
    /// <exception cref="ArgumentException">A name the BTF lacks.</exception>
    /// <exception cref="Bytecode.BpfObjectFormatException">The file is not BTF.</exception>
    /// <exception cref="System.IO.IOException">The file cannot be read.</exception>
    public static string WriteFile(string btfPath, IEnumerable<string> names, string namespaceName)
    {
        var bytes = System.IO.File.ReadAllBytes(btfPath);
        return Write(BtfReader.Read(bytes, 0, bytes.Length).Types, names, namespaceName, btfPath);
    }

    private int Find(string name)
    {
        int typedef = 0;
        for (int i = 0; i < _types.Count; i++)
        {
            var t = _types[i];
            if (t.Name != name) continue;
            if (t is BtfStruct or BtfEnum) return i + 1;
            if (t is BtfModifier { ModifierKind: BtfKind.Typedef } && typedef == 0) typedef = i + 1;
        }
        if (typedef != 0 && Skip(typedef) is var (id, behind) && behind is BtfStruct or BtfEnum) return id;
        throw new ArgumentException($"the BTF has no struct, union, enum or typedef named '{name}'");
    }

    /// <summary>Adds a composite or enum and everything it holds by value; <paramref name="hint"/> names it if it has
    /// no name of its own (its holder's name and the member's).</summary>
    private void Reach(int id, string? hint = null)
    {
        var (resolved, type) = Skip(id);
        switch (type)
        {
            case BtfArray a:
                Reach(a.Element, hint);
                return;
            case BtfEnum when !_order.Contains(resolved):
                Name(resolved, hint);
                _order.Add(resolved);
                return;
            case BtfStruct s when !_order.Contains(resolved):
                string name = Name(resolved, hint);
                _order.Add(resolved);
                ReachMembers(s, name);
                return;
        }
    }

    private void ReachMembers(BtfStruct type, string holder)
    {
        foreach (var m in type.Members)
        {
            var (_, inner) = Skip(m.Type);
            if (m.Name.Length == 0 && inner is BtfStruct nested) ReachMembers(nested, holder);
            else Reach(m.Type, holder + Pascal(m.Name));
        }
    }

    private BtfFuncProto? Prototype(Func<BtfFunc, bool> match)
    {
        foreach (var t in _types)
            if (t is BtfFunc f && match(f) && _types[f.Prototype - 1] is BtfFuncProto proto) return proto;
        return null;
    }

    /// <summary>What a typedef to a function pointer points at (btf_trace_&lt;tracepoint&gt;).</summary>
    private BtfFuncProto? Typedef(string name)
    {
        foreach (var t in _types)
            if (t is BtfModifier { ModifierKind: BtfKind.Typedef } m && m.Name == name && Skip(m.Target).Type is BtfPointer p && Skip(p.Target).Type is BtfFuncProto proto)
                return proto;
        return null;
    }

    private string Name(int id, string? hint = null)
    {
        if (_names.TryGetValue(id, out var name)) return name;
        var t = _types[id - 1];
        name = t.Name.Length > 0 ? Pascal(t.Name)
            : _typedefs.TryGetValue(id, out var typedef) ? Pascal(typedef)
            : hint ?? $"Anonymous{t.Kind}{id}";
        if (TakenByDotNet.Contains(name)) name += t is BtfEnum ? "Enum" : "Struct";
        name = Unique(name);
        _names[id] = name;
        return name;
    }

    private string Unique(string name)
    {
        string candidate = name;
        for (int n = 2; !_usedNames.Add(candidate); n++) candidate = name + n.ToString(CultureInfo.InvariantCulture);
        return candidate;
    }

    private string Emit(List<string> wanted, string namespaceName, string source)
    {
        var body = new StringBuilder();
        foreach (int id in _order)
        {
            body.AppendLine();
            if (_types[id - 1] is BtfEnum e) WriteEnum(body, id, e);
            else WriteStruct(body, id, (BtfStruct)_types[id - 1]);
        }
        foreach (var (name, what, slots) in _arguments)
        {
            body.AppendLine();
            body.AppendLine($"/// <summary>The arguments of {what}, one 8-byte slot each, for TracingContext&lt;{name}&gt;.</summary>");
            body.AppendLine($"[StructLayout(LayoutKind.Explicit, Size = {Math.Max(8, slots.Count * 8)})]");
            body.AppendLine($"public struct {name}");
            body.AppendLine("{");
            var used = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < slots.Count; i++)
            {
                string field = slots[i].Name.Length > 0 ? Pascal(slots[i].Name) : $"Arg{i}";
                for (int n = 2; !used.Add(field); n++) field = Pascal(slots[i].Name) + n.ToString(CultureInfo.InvariantCulture);
                // A struct passed by value does not fit a slot's reading; its slot is read as the raw word.
                string type = Skip(slots[i].Type).Type is BtfStruct or BtfArray ? "ulong" : TypeName(slots[i].Type) ?? "ulong";
                body.AppendLine($"    [FieldOffset({i * 8})] public {type} {field}; // {Describe(slots[i].Type)}");
            }
            body.AppendLine("}");
        }
        foreach (var (name, (element, count)) in _arrays)
        {
            body.AppendLine();
            body.AppendLine($"[InlineArray({count})]");
            body.AppendLine($"public struct {name}");
            body.AppendLine("{");
            body.AppendLine($"    private {element} _element;");
            body.AppendLine("}");
        }
        var s = new StringBuilder();
        s.AppendLine($"// <auto-generated> by csbpf btf generate{(wanted.Count > 0 ? " --types " + string.Join(",", wanted) : "")} from {source}.");
        s.AppendLine("// Kernel types for CO-RE: fields read through KernelPointer<T> are relocated to the running kernel's offsets at load.");
        s.AppendLine("// </auto-generated>");
        s.AppendLine("#pragma warning disable CS0649, CS0169 // fields the kernel fills");
        s.AppendLine("using System.Runtime.CompilerServices;");
        s.AppendLine("using System.Runtime.InteropServices;");
        s.AppendLine("using CSharpBpf;");
        s.AppendLine();
        s.AppendLine($"namespace {namespaceName};");
        s.Append(body);
        return s.ToString();
    }

    private void WriteEnum(StringBuilder s, int id, BtfEnum e)
    {
        string underlying = (e.Size, e.Signed) switch { (1, _) => "byte", (2, _) => "ushort", (8, true) => "long", (8, false) => "ulong", (_, true) => "int", _ => "uint" };
        s.AppendLine($"[KernelType(\"{e.Name}\")]");
        s.AppendLine($"public enum {_names[id]} : {underlying}");
        s.AppendLine("{");
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in e.Values)
        {
            string name = Pascal(v.Name);
            for (int n = 2; !used.Add(name); n++) name = Pascal(v.Name) + n.ToString(CultureInfo.InvariantCulture);
            string value = underlying switch
            {
                "byte" => ((byte)v.Value).ToString(CultureInfo.InvariantCulture),
                "ushort" => ((ushort)v.Value).ToString(CultureInfo.InvariantCulture),
                "uint" => ((uint)v.Value).ToString(CultureInfo.InvariantCulture),
                "ulong" => ((ulong)v.Value).ToString(CultureInfo.InvariantCulture),
                "int" => ((int)v.Value).ToString(CultureInfo.InvariantCulture),
                _ => v.Value.ToString(CultureInfo.InvariantCulture),
            };
            s.AppendLine($"    [KernelField(\"{v.Name}\")] {name} = {value},");
        }
        s.AppendLine("}");
    }

    private void WriteStruct(StringBuilder s, int id, BtfStruct type)
    {
        string name = _names[id];
        s.AppendLine($"/// <summary>{(type.IsUnion ? "union" : "struct")} {(type.Name.Length > 0 ? type.Name : "(anonymous)")}, {type.Size} bytes.</summary>");
        s.AppendLine($"[KernelType(\"{type.Name}\")]");
        s.AppendLine($"[StructLayout(LayoutKind.Explicit, Size = {Math.Max(type.Size, 1)})]");
        s.AppendLine($"public struct {name}");
        s.AppendLine("{");
        var members = Flatten(type, 0).ToList();
        var fields = MemberNames(name, members.Select(m => m.Member.Name).ToList());
        var storage = new HashSet<long>();
        for (int i = 0; i < members.Count; i++)
        {
            var (member, bitOffset, bits) = members[i];
            string field = fields[i];
            if (bits > 0)
            {
                WriteBitfield(s, type, member.Name, field, bitOffset, bits, storage);
                continue;
            }
            string? csharp = TypeName(member.Type);
            if (Skip(member.Type).Type is BtfStruct { Size: 0 })
            {
                // An empty struct (netdevice_tracker without its debug option) holds nothing; as a field it would share a
                // union's bytes with an [InlineArray], which crashes .NET's type loader (sockaddr's __empty_sa_data).
                s.AppendLine($"    // {member.Name}: {Describe(member.Type)} at byte {bitOffset / 8} is empty (0 bytes)");
                continue;
            }
            if (csharp == null)
            {
                s.AppendLine($"    // {member.Name}: {Describe(member.Type)} at byte {bitOffset / 8} has no C# form (a flexible array, a function)");
                continue;
            }
            if (csharp.StartsWith("KernelPointer<", StringComparison.Ordinal))
            {
                // A typed pointer: a property over the address (see the remarks on why no field is generic).
                string address = "_" + char.ToLowerInvariant(field[0]) + field[1..];
                s.AppendLine($"    [FieldOffset({bitOffset / 8})] private ulong {address};");
                s.AppendLine($"    /// <summary>{member.Name}: {Describe(member.Type)}.</summary>");
                s.AppendLine($"    [KernelField(\"{member.Name}\", Offset = {bitOffset / 8})]");
                s.AppendLine($"    public {csharp} {field} {{ readonly get => new({address}); set => {address} = value.Address; }}");
                continue;
            }
            s.AppendLine($"    [KernelField(\"{member.Name}\"), FieldOffset({bitOffset / 8})] public {csharp} {field};");
        }
        s.AppendLine("}");
    }

    /// <summary>C# names for a struct's members: Pascal case, unique, none the struct's own; where two kernel names differ
    /// only by leading underscores (<c>__d_name</c>, <c>d_name</c>), the one without takes the plain name, so the natural
    /// spelling binds to the member every kernel has.</summary>
    private static List<string> MemberNames(string structName, List<string> kernelNames)
    {
        var used = new HashSet<string>(StringComparer.Ordinal) { structName };
        var names = new string?[kernelNames.Count];
        foreach (bool underscored in new[] { false, true })
            for (int i = 0; i < kernelNames.Count; i++)
            {
                if (kernelNames[i].StartsWith("_", StringComparison.Ordinal) != underscored) continue;
                string plain = Pascal(kernelNames[i]);
                if (plain == structName) plain += "Field";
                string name = plain;
                for (int n = 2; !used.Add(name); n++) name = plain + n.ToString(CultureInfo.InvariantCulture);
                names[i] = name;
            }
        return names.Select(n => n!).ToList();
    }

    private void WriteBitfield(StringBuilder s, BtfStruct type, string kernelName, string field, long bitOffset, int bits, HashSet<long> storage)
    {
        long byteOffset = bitOffset / 8;
        int width = byteOffset + 8 <= type.Size ? 8 : byteOffset + 4 <= type.Size ? 4 : byteOffset + 2 <= type.Size ? 2 : 1;
        string storageType = width switch { 8 => "ulong", 4 => "uint", 2 => "ushort", _ => "byte" };
        string storageName = $"_bits{byteOffset}";
        if (storage.Add(byteOffset)) s.AppendLine($"    [FieldOffset({byteOffset})] private {storageType} {storageName};");
        string valueType = bits <= 8 ? "byte" : bits <= 16 ? "ushort" : bits <= 32 ? "uint" : "ulong";
        int shift = (int)(bitOffset - byteOffset * 8);
        string mask = bits >= 64 ? "ulong.MaxValue" : $"0x{(1UL << bits) - 1:x}UL";
        s.AppendLine($"    /// <summary>Bitfield {kernelName}: {bits} bits at bit {bitOffset}.</summary>");
        s.AppendLine($"    [KernelField(\"{kernelName}\", BitOffset = {bitOffset}, Bits = {bits})]");
        s.AppendLine($"    public readonly {valueType} {field} => ({valueType})(((ulong){storageName} >> {shift}) & {mask});");
    }

    /// <summary>Members with their bit offsets from the outer struct; anonymous struct and union members opened up.</summary>
    private IEnumerable<(BtfMember Member, long BitOffset, int Bits)> Flatten(BtfStruct type, long baseBits)
    {
        foreach (var m in type.Members)
        {
            long offset = baseBits + m.Offset(type.HasBitfields);
            var (_, inner) = Skip(m.Type);
            if (m.Name.Length == 0 && inner is BtfStruct anonymous)
            {
                foreach (var nested in Flatten(anonymous, offset)) yield return nested;
                continue;
            }
            if (m.Name.Length == 0) continue;
            int bits = m.BitfieldSize(type.HasBitfields);
            if (bits == 0 && inner is BtfInt { Bits: > 0 } legacy && legacy.Bits != legacy.Size * 8) bits = legacy.Bits;
            if (bits == 0 && offset % 8 != 0) continue; // not byte-aligned and not a bitfield: no C# form
            yield return (m, offset, bits);
        }
    }

    /// <summary>The C# type of a member, or null when it has none (flexible arrays, functions, void).</summary>
    private string? TypeName(int id)
    {
        var (resolved, t) = Skip(id);
        switch (t)
        {
            case BtfInt i when i.IsBool:
                return "bool";
            case BtfInt i when i.Size is 1 or 2 or 4 or 8:
                return (i.Size, i.Signed && !i.IsChar) switch
                {
                    (1, true) => "sbyte", (1, false) => "byte", (2, true) => "short", (2, false) => "ushort",
                    (4, true) => "int", (4, false) => "uint", (8, true) => "long", _ => "ulong",
                };
            case BtfInt i:
                return ArrayName("byte", i.Size);
            case BtfOpaque { OpaqueKind: BtfKind.Float } f:
                return f.SizeOrType == 4 ? "uint" : f.SizeOrType == 8 ? "ulong" : ArrayName("byte", (int)f.SizeOrType);
            case BtfPointer p:
                var (target, pointed) = Skip(p.Target);
                return pointed is BtfStruct && _names.ContainsKey(target) && _order.Contains(target) ? $"KernelPointer<{_names[target]}>" : "KernelPointer";
            case BtfArray a when a.Count > 0:
                // An array's element is a field of the [InlineArray] struct: a pointer there is the opaque one.
                return TypeName(a.Element) is string element ? ArrayName(element.StartsWith("KernelPointer<", StringComparison.Ordinal) ? "KernelPointer" : element, a.Count) : null;
            case BtfStruct or BtfEnum when _names.ContainsKey(resolved):
                return _names[resolved];
            default:
                return null;
        }
    }

    private string ArrayName(string element, int count)
    {
        string name = $"{char.ToUpperInvariant(element[0])}{element[1..].Replace("<", "Of").Replace(">", "")}Array{count}";
        _arrays[name] = (element, count);
        return name;
    }

    private string Describe(int id)
    {
        var (_, t) = Skip(id);
        return t switch
        {
            BtfArray a => $"{Describe(a.Element)}[{a.Count}]",
            BtfPointer p => $"{Describe(p.Target)} *",
            BtfStruct { IsUnion: true } u => $"union {u.Name}",
            BtfStruct st => $"struct {st.Name}",
            BtfFuncProto => "a function",
            _ => t.Name.Length > 0 ? t.Name : t.Kind.ToString(),
        };
    }

    private (int Id, BtfType Type) Skip(int id)
    {
        for (int guard = 0; guard < 64 && id > 0; guard++)
        {
            var t = _types[id - 1];
            if (t is BtfModifier m) id = m.Target;
            else if (t is BtfOpaque { OpaqueKind: BtfKind.TypeTag } tag) id = (int)tag.SizeOrType;
            else return (id, t);
        }
        return (0, new BtfInt("void", 0, false));
    }

    /// <summary>task_struct → TaskStruct, __state → State, PIDTYPE_PID → PidtypePid.</summary>
    private static string Pascal(string name)
    {
        var s = new StringBuilder();
        foreach (var part in name.Split('_', StringSplitOptions.RemoveEmptyEntries))
            s.Append(char.ToUpperInvariant(part[0])).Append(part.Length > 1 && part.ToUpperInvariant() == part ? part[1..].ToLowerInvariant() : part[1..]);
        if (s.Length == 0) s.Append("Field");
        if (char.IsDigit(s[0])) s.Insert(0, '_');
        return s.ToString();
    }
}
