using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CSharpBpf.Compiler.Tests.Fuzz;

/// <summary>A generated [BpfObject] class: its name, its source (one statement per line, so a failure can be reduced
/// line by line) and whether it touches maps (the VM runs only programs that do not).</summary>
public sealed record FuzzProgram(string Name, string Source, bool UsesMaps);

/// <summary>
/// A seeded generator of random XDP programs in the documented dialect: integer arithmetic of every width and sign,
/// casts, shifts, division by constants, conditionals and switch expressions in every position, compound assignments,
/// bounded loops with break/continue, structs with padding, [InlineArray]s, subprograms with in/out/ref and ref
/// returns, maps by copy and by ref, packet reads and writes, Interlocked. Every program is valid C# whose plain .NET
/// run cannot throw (divisors are nonzero constants other than -1, indexes are masked), so any disagreement between the kernel,
/// .NET and the VM is the compiler's. Results land in mutable statics (.bss), in maps and in the packet.
/// </summary>
public sealed class ProgramGenerator
{
    private static readonly string[] ScalarTypes = { "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong" };
    private static readonly string[] WideTypes = { "int", "uint", "long", "ulong" };
    private const int Results = 8;

    private readonly Random _random;
    private readonly StringBuilder _text = new();
    private readonly List<List<(string Name, string Type)>> _scopes = new();
    private readonly HashSet<string> _readOnly = new();
    private int _names;
    private int _stackBytes; // struct locals of the function being written: kept under the verifier's 512 bytes
    // Data-dependent branches left for the function being written. The verifier walks every path whose register
    // states differ, so a long chain of ternaries exhausts its million instructions; the compiler does not yet predict
    // that (issue #16, family 9), so the programs stay within what it can explore.
    private int _branches;
    private int _indent;
    private int _loopDepth;
    private bool _usesMaps;
    private bool _inSubprogram;
    private bool _mapsAllowed;

    public ProgramGenerator(int seed) => _random = new Random(seed);

    /// <summary>Largest trip count of a generated for loop (CSBPF_FUZZ_LOOP_TRIPS, default 40).</summary>
    public static int LoopTrips { get; } = int.TryParse(Environment.GetEnvironmentVariable("CSBPF_FUZZ_LOOP_TRIPS"), out int t) && t > 0 ? t : 40;

    /// <summary>Data-dependent branches the body of a for loop may hold besides its break or continue (CSBPF_FUZZ_LOOP_BRANCHES,
    /// default 2). The verifier walks every path of every iteration of a for loop: what a body writes under such branches
    /// must not multiply its states (Frontend/CarriedLoops).</summary>
    public static int LoopBranches { get; } = int.TryParse(Environment.GetEnvironmentVariable("CSBPF_FUZZ_LOOP_BRANCHES"), out int b) && b >= 0 ? b : 2;

    /// <summary>Largest trip count of a generated loop over Bpf.Range (an open-coded iterator): far beyond what the verifier
    /// could walk (CSBPF_FUZZ_RANGE_TRIPS, default 1023; a power of two minus one, as it also masks data).</summary>
    public static int RangeTrips { get; } = int.TryParse(Environment.GetEnvironmentVariable("CSBPF_FUZZ_RANGE_TRIPS"), out int t) && t > 0 ? t : 1023;

    /// <summary>Data-dependent branches the body of a loop over Bpf.Range may hold besides its break or continue
    /// (CSBPF_FUZZ_RANGE_BRANCHES, default 2).</summary>
    public static int RangeBranches { get; } = int.TryParse(Environment.GetEnvironmentVariable("CSBPF_FUZZ_RANGE_BRANCHES"), out int b) && b >= 0 ? b : 2;

    /// <summary>The program with class name <paramref name="name"/>; the next call gives the next program of the seed.</summary>
    public FuzzProgram Next(string name)
    {
        _text.Clear();
        _names = 0;
        _usesMaps = false;
        _readOnly.Clear();
        _mapsAllowed = _random.Next(3) > 0;
        Line("using System.Runtime.CompilerServices;");
        Line("using System.Threading;");
        Line("using CSharpBpf;");
        Line("");
        Line("[BpfObject]");
        Line($"public static partial class {name}");
        Open();
        for (int i = 0; i < Results; i++) Line($"public static long R{i};");
        if (_mapsAllowed)
        {
            Line("static readonly BpfArray<long> am = new(8);");
            Line("static readonly BpfHashMap<uint, long> hm = new(64);");
            Line("static readonly BpfHashMap<PadKey, long> pm = new(64);");
        }
        Line("public struct PadKey { public byte Protocol; public uint Address; public ushort Port; }");
        Line("public struct Pair { public sbyte A; public long B; public short C; }");
        Line("[InlineArray(8)] public struct Buf8 { private long _e; }");
        Line("[InlineArray(16)] public struct Bytes16 { private byte _e; }");

        int subprograms = _random.Next(3);
        var signatures = new List<Subprogram>();
        for (int i = 0; i < subprograms; i++) signatures.Add(WriteSubprogram($"F{i}", signatures));

        Line("[Xdp]");
        Line("public static XdpAction Run(XdpContext ctx)");
        _stackBytes = 0;
        _branches = 14;
        Open();
        _inSubprogram = false;
        PushScope();
        Line("if (!ctx.TryRead(14, out ulong in0)) return XdpAction.Aborted;");
        Line("if (!ctx.TryRead(22, out uint in1)) return XdpAction.Aborted;");
        Line("if (!ctx.TryRead(26, out int in2)) return XdpAction.Aborted;");
        Declare("in0", "ulong");
        Declare("in1", "uint");
        Declare("in2", "int");
        for (int i = 0; i < 3; i++)
        {
            string type = Pick(ScalarTypes);
            string v = NewName("v");
            Line($"{type} {v} = {Expr(type, 2)};");
            Declare(v, type);
        }
        int statements = 6 + _random.Next(14);
        for (int i = 0; i < statements; i++) Statement(2, signatures);
        for (int i = 0; i < Results; i++)
            if (_random.Next(3) > 0)
            {
                string type = Pick(ScalarTypes);
                var (text, constant) = Typed(type, 1);
                Line($"R{i} = (long)({(constant ? Variable(type).Item1 : text)});"); // a constant may not fit long
            }
        Line($"return (XdpAction)(1 + ({Expr("int", 2)} & 1));");
        PopScope();
        Close();
        Close();
        return new FuzzProgram(name, _text.ToString(), _usesMaps);
    }

    private sealed record Subprogram(string Name, string ReturnType, bool ReturnsRef, (string Kind, string Type)[] Parameters);

    // A subprogram takes some scalars by value, in, ref or out, and maybe a struct by value, in or ref. A ref-returning
    // one returns its first parameter, to which every caller passes a map value: the verifier refuses a returned
    // pointer into the caller's stack.
    private Subprogram WriteSubprogram(string name, List<Subprogram> earlier)
    {
        _inSubprogram = true;
        var parameters = new List<(string Kind, string Type)>();
        int count = 1 + _random.Next(4);
        for (int i = 0; i < count; i++)
        {
            string kind = Pick(new[] { "", "", "in", "ref", "out" });
            string type = _random.Next(6) == 0 ? "Pair" : Pick(ScalarTypes);
            if (type == "Pair" && kind == "out") kind = "ref";
            parameters.Add((kind, type));
        }
        bool returnsRef = _mapsAllowed && _random.Next(4) == 0;
        string returnType = returnsRef ? "long" : Pick(ScalarTypes);
        if (returnsRef) parameters.Insert(0, ("ref", "long"));
        var text = string.Join(", ", parameters.Select((p, i) => $"{(p.Kind == "" ? "" : p.Kind + " ")}{p.Type} p{i}"));
        Line($"static {(returnsRef ? "ref " : "")}{returnType} {name}({text})");
        _stackBytes = 0;
        _branches = 6;
        Open();
        PushScope();
        for (int i = 0; i < parameters.Count; i++)
        {
            var (kind, type) = parameters[i];
            if (kind == "out") Line($"p{i} = {Expr(type, 1)};");
            if (type == "Pair") DeclareStruct($"p{i}", kind == "in");
            else
            {
                Declare($"p{i}", type);
                if (kind == "in") _readOnly.Add($"p{i}");
            }
        }
        int statements = 1 + _random.Next(5);
        for (int i = 0; i < statements; i++) Statement(1, earlier);
        if (returnsRef)
        {
            Line($"p0 += {Expr("long", 1)};");
            Line("return ref p0;");
        }
        else Line($"return {Expr(returnType, 2)};");
        PopScope();
        Close();
        _inSubprogram = false;
        return new Subprogram(name, returnType, returnsRef, parameters.ToArray());
    }

    private void Statement(int depth, List<Subprogram> subprograms)
    {
        int choice = _random.Next(depth > 0 ? 24 : 15);
        if (choice is >= 15 and <= 21 && !Branch()) choice = 2; // if, loop and switch statements spend the branch budget
        var assignable = Variables().Where(v => !_readOnly.Contains(v.Name) && ScalarTypes.Contains(v.Type)).ToList();
        switch (choice)
        {
            case 0:
            case 1:
            {
                string type = Pick(ScalarTypes);
                string v = NewName("v");
                Line($"{type} {v} = {Expr(type, 3)};");
                Declare(v, type);
                break;
            }
            case 2:
            case 3:
                if (assignable.Count == 0) goto case 0;
                {
                    var (name, type) = Pick(assignable);
                    // Assignments of conditionals, switch expressions and && / || to a declared local (issue #16, family 1).
                    string value = _random.Next(3) switch
                    {
                        0 => $"{Condition(2)} ? {Expr(type, 1)} : {Expr(type, 1)}",
                        1 => Switch(type, 1),
                        _ => Expr(type, 3),
                    };
                    Line($"{name} = {value};");
                }
                break;
            case 4:
                if (assignable.Count == 0) goto case 0;
                {
                    var (name, type) = Pick(assignable);
                    string op = Pick(new[] { "+=", "-=", "*=", "&=", "|=", "^=", "<<=", ">>=", "/=", "%=" });
                    string value = op switch
                    {
                        "<<=" or ">>=" => $"(int)({Expr("int", 1)})",
                        "/=" or "%=" => Divisor(type),
                        _ => _random.Next(3) == 0 ? $"({Condition(1)} ? {Constant(type)} : {Expr(type, 1)})" : Expr(type, 2),
                    };
                    Line($"{name} {op} {value};");
                }
                break;
            case 5:
                if (assignable.Count == 0) goto case 0;
                var folded = assignable.Where(v => WideTypes.Contains(v.Type)).ToList();
                if (folded.Count > 0 && _random.Next(2) == 0)
                {
                    // An FNV-style fold (issue #22, family 2): x = (x ^ v) * prime, in loops as anywhere.
                    var (name, type) = Pick(folded);
                    string prime = type is "long" or "ulong" ? $"({type})1099511628211UL" : $"({type})16777619u";
                    Line($"{name} = unchecked(({type})(({name} ^ {Expr(type, 1)}) * {prime}));");
                }
                else Line($"{Pick(new[] { "++", "--" })}{Pick(assignable).Name};");
                break;
            case 6:
            {
                if (!ReserveStack(12)) goto case 0;
                // A padded struct written field by field (family 5), then used as a whole.
                string s = NewName("s");
                Line($"PadKey {s};");
                Line($"{s}.Protocol = {Expr("byte", 1)};");
                Line($"{s}.Address = {Expr("uint", 1)};");
                Line($"{s}.Port = {Expr("ushort", 1)};");
                if (_mapsAllowed && _random.Next(2) == 0)
                {
                    _usesMaps = true;
                    Line($"pm.Update({s}, {Expr("long", 1)});");
                }
                string v = NewName("v");
                Line($"uint {v} = {s}.Address + {s}.Protocol + {s}.Port;");
                Declare(v, "uint");
                break;
            }
            case 7:
            {
                if (!ReserveStack(24)) goto case 0;
                string s = NewName("s");
                Line(_random.Next(2) == 0 ? $"Pair {s} = default;" : $"Pair {s} = new Pair();");
                Line($"{s}.A = {Expr("sbyte", 1)};");
                Line($"{s}.B = {Expr("long", 2)};");
                DeclareStruct(s, false);
                break;
            }
            case 8:
            {
                if (!ReserveStack(64)) goto case 0;
                // [InlineArray] with indexes bounded by masks (family 8).
                string b = NewName("b");
                bool bytes = _random.Next(2) == 0;
                string element = bytes ? "byte" : "long";
                int mask = bytes ? 15 : 7;
                Line($"{(bytes ? "Bytes16" : "Buf8")} {b} = default;");
                for (int i = 0, n = 1 + _random.Next(3); i < n; i++)
                    Line($"{b}[{Index(mask)}] = {Expr(element, 1)};");
                string v = NewName("v");
                Line($"{element} {v} = {b}[{Index(mask)}];");
                Declare(v, element);
                break;
            }
            case 9:
            {
                if (_inSubprogram) goto case 0;
                // Packet reads at constant, masked and packet-derived offsets (family 3).
                string type = Pick(new[] { "byte", "ushort", "uint", "ulong" });
                string offset = _random.Next(3) switch
                {
                    0 => _random.Next(0, 70).ToString(),
                    1 => $"(int){Expr("int", 1)} % 64",
                    _ => $"(int)({Expr("uint", 1)} & 127)",
                };
                string v = NewName("k");
                Line($"if (ctx.TryRead({offset}, out {type} {v}))");
                Open();
                PushScope();
                Declare(v, type);
                Assign(assignable, v, type);
                PopScope();
                Close();
                break;
            }
            case 10:
            {
                if (_inSubprogram) goto case 0;
                // In-place packet write through a ref.
                string type = Pick(new[] { "byte", "ushort", "uint" });
                string r = NewName("w");
                Line($"ref {type} {r} = ref ctx.GetRefOrNullRef<{type}>({_random.Next(0, 60)});");
                Line($"if (!Unsafe.IsNullRef(ref {r})) {r} = {Expr(type, 2)};");
                break;
            }
            case 11:
            case 12:
                if (!_mapsAllowed) goto case 0;
                MapStatement(assignable);
                break;
            case 13:
            case 14:
                if (subprograms.Count == 0 || !Call(Pick(subprograms))) goto case 0;
                break;
            case 15:
            case 16:
            case 17:
                Line($"if ({Condition(2)})");
                Block(depth - 1, subprograms);
                if (_random.Next(2) == 0)
                {
                    Line("else");
                    Block(depth - 1, subprograms);
                }
                break;
            case 18:
            case 19:
            {
                if (_loopDepth >= 1) goto case 15;
                string i = NewName("i");
                // A third of the loops are open-coded iterators over a range that may be long, start below zero, be empty or
                // come from the packet; the verifier checks their bodies until they converge instead of walking them.
                bool range = _random.Next(3) == 0;
                if (range)
                {
                    string from = _random.Next(2) == 0 ? $"{_random.Next(-3, 4)}" : $"(int)({Expr("int", 1)} & 7)";
                    string to = _random.Next(2) == 0 ? $"{_random.Next(0, RangeTrips + 1)}" : $"(int)({Expr("int", 1)} & {RangeTrips})";
                    Line($"foreach (int {i} in Bpf.Range({from}, {to}))");
                }
                else Line($"for (int {i} = 0; {i} < {1 + _random.Next(LoopTrips)}; {i}++)");
                Open();
                PushScope();
                Declare(i, "int");
                _readOnly.Add(i);
                _loopDepth++;
                // The verifier walks every iteration of a for loop, and every path through the body within it: a body's
                // branches multiply per iteration unless its state pruning merges them, so a body spends a budget of its own.
                int branches = _branches;
                int loopBranches = range ? RangeBranches : LoopBranches;
                _branches = loopBranches;
                for (int k = 0, n = 1 + _random.Next(3); k < n; k++) Statement(loopBranches > 0 ? 1 : 0, subprograms);
                _branches = 1;
                if (_random.Next(2) == 0) Line($"if ({Condition(1)}) {Pick(new[] { "break", "continue" })};");
                _branches = branches;
                _loopDepth--;
                PopScope();
                Close();
                break;
            }
            case 20:
            case 21:
            {
                Line($"switch ((int)({Expr("int", 1)} & 7))");
                Open();
                foreach (int label in Enumerable.Range(0, 8).OrderBy(_ => _random.Next()).Take(1 + _random.Next(3)))
                {
                    Line($"case {label}:");
                    Block(depth - 1, subprograms);
                    Line("break;");
                }
                Line("default:");
                Block(depth - 1, subprograms);
                Line("break;");
                Close();
                break;
            }
            default:
                if (assignable.Count == 0) goto case 0;
                {
                    var (name, type) = Pick(assignable);
                    Line($"{name} = {Expr(type, 4)};");
                }
                break;
        }
    }

    private void MapStatement(List<(string Name, string Type)> assignable)
    {
        _usesMaps = true;
        switch (_random.Next(6))
        {
            case 0:
                Line($"am.Update({_random.Next(8)}u, {Expr("long", 2)});");
                break;
            case 1:
            {
                string v = NewName("m");
                Line($"if (am.TryGetValue((uint){Index(7)}, out long {v}))");
                Open();
                PushScope();
                Declare(v, "long");
                Assign(assignable, v, "long");
                PopScope();
                Close();
                break;
            }
            case 2:
            {
                string key = $"(uint)({Expr("uint", 1)} & 15)";
                Line(_random.Next(2) == 0 ? $"hm.Update({key}, {Expr("long", 1)});" : $"hm.TryAdd({key}, {Expr("long", 1)});");
                break;
            }
            case 3:
            {
                string r = NewName("r");
                Line($"ref long {r} = ref hm.GetValueRefOrNullRef((uint)({Expr("uint", 1)} & 15));");
                Line($"if (!Unsafe.IsNullRef(ref {r}))");
                Open();
                switch (_random.Next(4))
                {
                    case 0: Line($"{r} += {Expr("long", 1)};"); break;
                    case 1: Line($"Interlocked.Increment(ref {r});"); break;
                    case 2: Line($"Interlocked.Add(ref {r}, {Expr("long", 1)});"); break;
                    default: Assign(assignable, r, "long"); break;
                }
                Close();
                break;
            }
            case 4:
                Line($"hm.Remove((uint)({Expr("uint", 1)} & 15));");
                break;
            default:
            {
                string r = NewName("r");
                Line($"ref long {r} = ref am.GetValueRefOrNullRef((uint){Index(7)});");
                Line($"if (!Unsafe.IsNullRef(ref {r})) Interlocked.Add(ref {r}, {Expr("long", 1)});");
                break;
            }
        }
    }

    private bool Call(Subprogram f)
    {
        if (!ReserveStack(48 * f.Parameters.Count(p => p.Type == "Pair"))) return false;
        var arguments = new List<string>();
        var afterwards = new List<(string Name, string Type)>();
        string? refValue = null;
        for (int i = 0; i < f.Parameters.Length; i++)
        {
            var (kind, type) = f.Parameters[i];
            if (f.ReturnsRef && i == 0)
            {
                // A ref return must point into a map value, never the caller's stack.
                refValue = NewName("r");
                Line($"ref long {refValue} = ref am.GetValueRefOrNullRef((uint){Index(7)});");
                arguments.Add($"ref {refValue}");
                continue;
            }
            if (type == "Pair")
            {
                string s = NewName("s");
                Line($"Pair {s} = default;");
                Line($"{s}.C = {Expr("short", 1)};");
                DeclareStruct(s, false);
                arguments.Add($"{(kind == "" ? "" : kind + " ")}{s}");
                continue;
            }
            switch (kind)
            {
                case "":
                    arguments.Add(Expr(type, 2));
                    break;
                case "out":
                {
                    string v = NewName("o");
                    arguments.Add($"out {type} {v}");
                    afterwards.Add((v, type));
                    break;
                }
                default:
                {
                    string v = NewName("a");
                    Line($"{type} {v} = {Expr(type, 1)};");
                    Declare(v, type);
                    arguments.Add($"{kind} {v}");
                    break;
                }
            }
        }
        string call = $"{f.Name}({string.Join(", ", arguments)})";
        if (f.ReturnsRef)
        {
            _usesMaps = true;
            Line($"if (!Unsafe.IsNullRef(ref {refValue}))");
            Open();
            string r = NewName("q");
            Line($"ref long {r} = ref {call};");
            Line($"{r} ^= {Expr("long", 1)};");
            Close();
            return true;
        }
        string result = NewName("c");
        Line($"{f.ReturnType} {result} = {call};");
        Declare(result, f.ReturnType);
        foreach (var (name, type) in afterwards) Declare(name, type);
        return true;
    }

    // Sibling scopes do not share stack yet, so every struct local counts for the whole function (see issue #16, 7).
    private bool ReserveStack(int bytes)
    {
        if (_stackBytes + bytes > (_inSubprogram ? 96 : 288)) return false; // the call chain's frames add up

        _stackBytes += bytes;
        return true;
    }

    private void Block(int depth, List<Subprogram> subprograms)
    {
        Open();
        PushScope();
        for (int k = 0, n = 1 + _random.Next(3); k < n; k++) Statement(Math.Max(depth, 0), subprograms);
        PopScope();
        Close();
    }

    // Stores a freshly read value into a variable of the enclosing scope (or a result), so it is observed.
    private void Assign(List<(string Name, string Type)> assignable, string value, string type)
    {
        if (assignable.Count == 0 || _random.Next(3) == 0)
        {
            if (_inSubprogram) return;
            Line($"R{_random.Next(Results)} += (long){value};");
            return;
        }
        var (name, target) = Pick(assignable);
        Line($"{name} = ({target})({value} ^ {Expr(type, 1)});");
    }

    // ---- expressions: each has exactly the type asked for ----

    private string Expr(string type, int depth)
    {
        var (text, _) = Typed(type, depth);
        return text;
    }

    private (string Text, bool Constant) Typed(string type, int depth)
    {
        if (depth <= 0 || _random.Next(4) == 0) return Leaf(type);
        switch (_random.Next(12))
        {
            case 0: case 1: case 2: case 3:
            {
                string op = Pick(new[] { "+", "-", "*", "&", "|", "^", "+", "-" });
                var left = Typed(type, depth - 1);
                var right = Typed(type, depth - 1);
                if (left.Constant && right.Constant) right = Variable(type);
                return ($"({type})({left.Text} {op} {right.Text})", false);
            }
            case 4:
            {
                var left = Typed(type, depth - 1);
                if (left.Constant) left = Variable(type);
                string count = _random.Next(2) == 0 ? _random.Next(0, 64).ToString() : $"(int)({Expr("int", depth - 1)})";
                return ($"({type})({left.Text} {Pick(new[] { "<<", ">>" })} {count})", false);
            }
            case 5:
            {
                var left = Typed(type, depth - 1);
                if (left.Constant) left = Variable(type);
                return ($"({type})({left.Text} {Pick(new[] { "/", "%" })} {Divisor(type)})", false);
            }
            case 6:
            {
                var operand = Typed(type, depth - 1);
                if (operand.Constant) operand = Variable(type);
                string op = type == "ulong" ? "~" : Pick(new[] { "~", "-" });
                return ($"({type})({op}{operand.Text})", false);
            }
            case 7:
            {
                // A cast from another width: widening, narrowing and sign changes.
                string from = Pick(ScalarTypes);
                var inner = Typed(from, depth - 1);
                if (inner.Constant) inner = Variable(from);
                return ($"({type})({inner.Text})", false);
            }
            case 8 when Branch():
                return ($"({Condition(depth - 1)} ? {Expr(type, depth - 1)} : {Expr(type, depth - 1)})", false);
            case 9 when Branch():
                return (Switch(type, depth - 1), false);
            default:
                return Leaf(type);
        }
    }

    private static readonly (int From, int To)[] SwitchSegments = { (0, 1), (1, 4), (4, 9), (9, 16), (16, 17), (17, 32) };

    // Arms cover disjoint ranges of the tag (0..31), so no arm is subsumed by an earlier one (a C# error).
    private string Switch(string type, int depth)
    {
        string tagType = Pick(WideTypes);
        string u = tagType is "uint" or "ulong" ? "u" : "";
        var arms = new List<string>();
        foreach (var (from, to) in SwitchSegments.OrderBy(_ => _random.Next()).Take(1 + _random.Next(3)))
        {
            string pattern = to - from == 1 ? $"{from}{u}"
                : _random.Next(2) == 0 ? $">= {from}{u} and < {to}{u}"
                : $"{from}{u} or (> {from}{u} and <= {to - 1}{u})";
            arms.Add($"{pattern} => {Expr(type, depth)}");
        }
        arms.Add($"_ => {Expr(type, depth)}");
        return $"(({tagType})({Expr(tagType, depth)} & 0x1f) switch {{ {string.Join(", ", arms)} }})";
    }

    private bool Branch() => _branches-- > 0;

    private string Condition(int depth)
    {
        if (depth > 0 && Branch())
        {
            switch (_random.Next(6))
            {
                case 0: return $"({Condition(depth - 1)} && {Condition(depth - 1)})";
                case 1: return $"({Condition(depth - 1)} || {Condition(depth - 1)})";
                case 2: return $"!({Condition(depth - 1)})";
            }
        }
        string type = Pick(ScalarTypes);
        var left = Typed(type, Math.Max(depth, 1));
        if (left.Constant) left = Variable(type);
        string right = _random.Next(2) == 0 ? Constant(type) : Expr(type, 1);
        // The operands of a comparison are promoted as C# promotes them; both sides have the same type here.
        return $"({left.Text} {Pick(new[] { "==", "!=", "<", "<=", ">", ">=" })} {right})";
    }

    private (string, bool) Leaf(string type) => _random.Next(3) == 0 ? (Constant(type), true) : Variable(type);

    private (string, bool) Variable(string type)
    {
        var scalars = Variables().Where(v => ScalarTypes.Contains(v.Type)).ToList();
        var fields = Variables().Where(v => v.Type is "Pair" or "PairIn").ToList();
        if (fields.Count > 0 && _random.Next(5) == 0)
        {
            var (name, _) = Pick(fields);
            string field = Pick(new[] { "A", "B", "C" });
            return ($"({type}){name}.{field}", false);
        }
        if (scalars.Count == 0) return ($"({type})R{_random.Next(Results)}", false); // a global: never a constant
        var (v, vType) = Pick(scalars);
        return (vType == type ? v : $"({type}){v}", false);
    }

    private string Constant(string type)
    {
        long[] values = { 0, 1, 2, 3, 5, 7, 8, 15, 16, 31, 32, 63, 100, 127, 128, 255, 256, 1000, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000, 0x123456789a };
        long value = Pick(values);
        bool negative = type is "sbyte" or "short" or "int" or "long" && _random.Next(3) == 0;
        if (_random.Next(12) == 0) return $"{type}.{Pick(new[] { "MinValue", "MaxValue" })}";
        var (min, max) = type switch
        {
            "byte" => (0L, 255L), "sbyte" => (-128L, 127L), "short" => (-32768L, 32767L), "ushort" => (0L, 65535L),
            "int" => (int.MinValue, int.MaxValue), "uint" => (0L, uint.MaxValue), _ => (long.MinValue, long.MaxValue),
        };
        if (negative) value = -value;
        if (value < min || value > max) value = 1;
        string suffix = type switch { "uint" => "u", "long" => "L", "ulong" => "UL", _ => "" };
        string literal = value < 0 ? $"({value}{suffix})" : $"{value}{suffix}";
        return type is "byte" or "sbyte" or "short" or "ushort" ? $"(({type}){literal})" : literal;
    }

    // Divisors of every sign and size the type holds: small ones, negative ones, MinValue, and magnitudes beyond a 32-bit
    // immediate. Never -1 for a signed type: MinValue / -1 throws in .NET, and these programs must not throw.
    private string Divisor(string type)
    {
        long[] small = { 1, 2, 3, 4, 7, 8, 10, 16, 100, 255 };
        long[] wide = type switch
        {
            "sbyte" => new long[] { -128, -2, 127 },
            "byte" => new long[] { 128, 255 },
            "short" => new long[] { -32768, -255, 32767 },
            "ushort" => new long[] { 0x8000, 0xffff },
            "int" => new long[] { int.MinValue, int.MaxValue, -65536, -1000000007 },
            "uint" => new long[] { 0x80000000, 0xffffffff, 0x7fffffff },
            "long" => new long[] { long.MinValue, long.MaxValue, -2844915051889675909L, 0x80000000, -0x80000000, 0x100000000, 1000000007 },
            _ => new long[] { long.MinValue, -1, 0x4000000000000000, 10000000000, 0xffffffff, 0x80000000 }, // ulong: as bit patterns
        };
        bool signed = type is "sbyte" or "short" or "int" or "long";
        long d = _random.Next(4) switch
        {
            0 or 1 => Pick(small),
            2 when signed => -Pick(small.Where(k => k > 1).ToArray()),
            _ => Pick(wide),
        };
        if (type == "sbyte" && d is > 127 or < -128) d = 7;
        if (type == "ulong") return d < 0 ? $"{unchecked((ulong)d)}UL" : $"{d}UL";
        string suffix = type switch { "uint" => "u", "long" => "L", _ => "" };
        string literal = d == long.MinValue ? "long.MinValue" : d == int.MinValue && type == "int" ? "int.MinValue" : d < 0 ? $"({d}{suffix})" : $"{d}{suffix}";
        return type is "byte" or "sbyte" or "short" or "ushort" ? $"(({type}){literal})" : literal;
    }

    private string Index(int mask) => _random.Next(3) switch
    {
        0 => _random.Next(mask + 1).ToString(),
        1 => $"(int)({Expr("int", 1)} & {mask})",
        _ => $"(int)((uint){Expr("uint", 1)} % {mask + 1})",
    };

    // ---- scopes and text ----

    private IEnumerable<(string Name, string Type)> Variables() => _scopes.SelectMany(s => s);

    private void PushScope() => _scopes.Add(new List<(string, string)>());

    private void PopScope() => _scopes.RemoveAt(_scopes.Count - 1);

    private void Declare(string name, string type) => _scopes[^1].Add((name, type));

    private void DeclareStruct(string name, bool readOnly)
    {
        _scopes[^1].Add((name, readOnly ? "PairIn" : "Pair"));
        if (!readOnly)
        {
            _scopes[^1].Add(($"{name}.A", "sbyte"));
            _scopes[^1].Add(($"{name}.C", "short"));
        }
    }

    private string NewName(string prefix) => $"{prefix}{_names++}";

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private void Open()
    {
        Line("{");
        _indent++;
    }

    private void Close()
    {
        _indent--;
        Line("}");
    }

    private void Line(string text) => _text.Append(' ', _indent * 4).Append(text).Append('\n');
}
