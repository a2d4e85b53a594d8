using System.Runtime.InteropServices;

namespace CSharpBpf.Compiler.Tests.Corpus;

/// <summary>The values the arithmetic and control-flow programs compute on: read from the packet right
/// after the Ethernet header, so every run (kernel, VM, .NET) sees the same inputs.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct Input
{
    public int A;
    public int B;
    public uint C;
    public short F;
    public byte G;
    public sbyte H;
    public long D;
    public ulong E;
}

public struct Point
{
    public int X;
    public int Y;
}

public struct Pair
{
    public Point First;
    public Point Second;
}

[System.Runtime.CompilerServices.InlineArray(4)]
public struct Four
{
    private int _element;
}

public struct Shape
{
    public byte Kind;
    public Point Origin;
    public Four Sides;
}
