using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CSharpBpf.Bytecode.Classic.Seccomp;

namespace CSharpBpf.Compiler.Tests.Seccomp;

/// <summary>Random seccomp policies in the dialect a user writes: switches over syscalls (some only one architecture has),
/// argument tests of every width and signedness, masks and shifts, 32-bit arithmetic in locals, ternaries, &&/||/!, and
/// actions with computed data. Each is a [BpfObject] class named P{n} with one method, Policy.</summary>
internal sealed class SeccompPolicyGenerator
{
    private readonly Random _random;
    private int _locals;

    public SeccompPolicyGenerator(int seed) => _random = new Random(seed);

    private static readonly string[] Syscalls = SyscallTable.Names.Select(Member).ToArray();

    private static string Member(string name) => string.Concat(name.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    public string Policy(int index)
    {
        _locals = 0;
        var s = new StringBuilder();
        s.AppendLine($"[BpfObject] public static partial class P{index} {{");
        s.AppendLine("  [SeccompFilter] public static SeccompAction Policy(SeccompData data) {");
        Statements(s, depth: 0);
        s.AppendLine($"    return {Action()};");
        s.AppendLine("  }");
        s.AppendLine("}");
        return s.ToString();
    }

    private T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

    private string Syscall() => "Syscall." + (_random.Next(3) == 0 ? Pick("Read", "Write", "Open", "Openat", "Close", "Mmap", "Execve", "Kill", "Clone", "Ioctl") : Syscalls[_random.Next(Syscalls.Length)]);

    private void Statements(StringBuilder s, int depth)
    {
        int count = _random.Next(1, depth == 0 ? 4 : 3);
        for (int i = 0; i < count; i++)
        {
            switch (_random.Next(depth >= 2 ? 2 : 5))
            {
                case 0:
                    s.AppendLine($"    if ({Condition(0)}) return {Action()};");
                    break;
                case 1:
                {
                    string name = "l" + _locals++;
                    if (_random.Next(2) == 0) s.AppendLine($"    int {name} = {Int32Expression()};");
                    else s.AppendLine($"    ulong {name} = {UInt64Expression()};");
                    if (_random.Next(2) == 0) s.AppendLine($"    if ({Condition(0)}) {name} = {(name.Length > 0 && s.ToString().Contains($"int {name} =") ? Int32Expression() : UInt64Expression())};");
                    s.AppendLine($"    if ({name} {Pick("==", "!=", "<", ">", "<=", ">=")} {(s.ToString().Contains($"int {name} =") ? Pick("0", "1", "-1", "7", "0x7fffffff") : Pick("0UL", "1UL", "0xffffffffUL", "0x100000000UL"))}) return {Action()};");
                    break;
                }
                case 2:
                {
                    s.AppendLine("    switch (data.Syscall) {");
                    var used = new HashSet<string>();
                    for (int c = _random.Next(1, 6); c > 0; c--)
                    {
                        var labels = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Syscall()).Where(used.Add).ToList();
                        if (labels.Count == 0) continue;
                        foreach (var label in labels) s.AppendLine($"      case {label}:");
                        if (_random.Next(3) == 0)
                        {
                            s.AppendLine("      {");
                            Statements(s, depth + 1);
                            s.AppendLine($"        return {Action()};");
                            s.AppendLine("      }");
                        }
                        else s.AppendLine($"        return {(_random.Next(2) == 0 ? Action() : $"{Condition(0)} ? {Action()} : {Action()}")};");
                    }
                    s.AppendLine("    }");
                    break;
                }
                case 3:
                    s.AppendLine($"    if ({Condition(0)}) {{");
                    Statements(s, depth + 1);
                    s.AppendLine("    }");
                    break;
                default:
                    s.AppendLine($"    if (data.Syscall {Pick("==", "!=")} {Syscall()}) return {Action()};");
                    break;
            }
        }
    }

    private string Arg() => Pick("data.Arg0", "data.Arg1", "data.Arg2", "data.Arg3", "data.Arg4", "data.Arg5", "data.InstructionPointer");

    private string Constant64() => Pick("0UL", "1UL", "3UL", "0x7fffffffUL", "0x80000000UL", "0xffffffffUL", "0x100000000UL", "0x1234_5678_9abc_def0UL", "0xffffffffffffffffUL", "0x8000000000000000UL", $"{_random.Next(0, 64)}UL");

    private string Int32Expression() => _random.Next(6) switch
    {
        0 => $"(int){Arg()}",
        1 => $"(int){Arg()} + {_random.Next(-5, 6)}",
        2 => $"(int)({Arg()} >> {Pick("3", "16", "32", "40")})",
        3 => $"((int){Arg()} & 0xff) * {_random.Next(1, 5)}",
        4 => $"data.Nr - {_random.Next(0, 10)}",
        _ => $"(int)((uint){Arg()} / {_random.Next(1, 9)}u)",
    };

    private string UInt64Expression() => _random.Next(5) switch
    {
        0 => Arg(),
        1 => $"{Arg()} & {Constant64()}",
        2 => $"{Arg()} >> {_random.Next(0, 64)}",
        3 => $"{Arg()} << {_random.Next(0, 64)}",
        _ => $"{Arg()} ^ {Arg()} | {Constant64()}",
    };

    private string Condition(int depth)
    {
        if (depth < 2 && _random.Next(4) == 0)
            return _random.Next(3) switch
            {
                0 => $"({Condition(depth + 1)} && {Condition(depth + 1)})",
                1 => $"({Condition(depth + 1)} || {Condition(depth + 1)})",
                _ => $"!({Condition(depth + 1)})",
            };
        return _random.Next(9) switch
        {
            0 => $"{Arg()} {Pick("==", "!=", "<", ">", "<=", ">=")} {Constant64()}",
            1 => $"({Arg()} & {Constant64()}) {Pick("==", "!=")} {Constant64()}",
            2 => $"(int){Arg()} {Pick("==", "!=", "<", ">", "<=", ">=")} {Pick("0", "-1", "1", "9", "int.MinValue", "int.MaxValue")}",
            3 => $"(uint){Arg()} {Pick("<", ">", "==")} {Pick("0u", "1u", "0x80000000u", "0xffffffffu")}",
            4 => $"(long){Arg()} {Pick("<", ">", "<=", ">=")} {Pick("0L", "-1L", "long.MinValue", "5L", "0x1_0000_0000L", "-0x1_0000_0000L")}",
            5 => $"data.Nr {Pick("==", "<", ">=")} {Pick("0", "59", "221", "1000", "-1")}",
            6 => $"data.Arch {Pick("==", "!=")} SeccompArchitecture.{Pick("X86_64", "Arm64")}",
            7 => $"({Arg()} >> {Pick("1", "31", "32", "33", "63")}) {Pick("==", "!=", ">")} {Pick("0UL", "1UL", "0x7fffffffUL")}",
            _ => $"data.Syscall {Pick("==", "!=")} {Syscall()}",
        };
    }

    private string Action() => _random.Next(10) switch
    {
        0 => "SeccompAction.KillProcess",
        1 => "SeccompAction.KillThread",
        2 => "SeccompAction.Trap",
        3 => "SeccompAction.Log",
        4 => $"SeccompAction.Errno({_random.Next(1, 40)})",
        5 => $"SeccompAction.Errno((int)({Arg()} & 0xfff))",
        6 => $"SeccompAction.Trace({_random.Next(0, 100)})",
        7 => "SeccompAction.UserNotify",
        _ => "SeccompAction.Allow",
    };
}
