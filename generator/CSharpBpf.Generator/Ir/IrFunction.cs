using System.Collections.Generic;

namespace CSharpBpf.Generator.Ir
{
    /// <summary>A function in IR: blocks (the first is the entry), its parameters' virtual registers
    /// (arriving in r1–r5), and the frame bytes its locals use.</summary>
    internal sealed class IrFunction
    {
        public IrFunction(string name) => Name = name;

        public string Name { get; }
        public List<IrBlock> Blocks { get; } = new List<IrBlock>();
        public List<int> Parameters { get; } = new List<int>();
        public int RegisterCount { get; set; }
        /// <summary>The line of the method's declaration: the kernel wants line info at every function's first instruction.</summary>
        public int DeclarationLine { get; set; }
        /// <summary>Bytes of frame in use below r10 (locals and spills).</summary>
        public int FrameSize { get; set; }

        /// <summary>What takes the frame: locals by name, the rest as "temporaries" (for BPF0003's message and location).</summary>
        public List<StackUser> StackUsers { get; } = new List<StackUser>();

        /// <summary>Names the temporary at <paramref name="offset"/> after a local took it over.</summary>
        public void NameStackUser(int offset, string name, Microsoft.CodeAnalysis.Location? location)
        {
            int index = StackUsers.FindIndex(u => u.Offset == offset);
            if (index >= 0) StackUsers[index] = new StackUser(name, offset, StackUsers[index].Size, location);
        }

        /// <summary>Warnings the lowering found (the code is still correct, but likely not what was meant).</summary>
        public List<Microsoft.CodeAnalysis.Diagnostic> Warnings { get; } = new List<Microsoft.CodeAnalysis.Diagnostic>();

        public int NewRegister() => RegisterCount++;

        public IrBlock NewBlock()
        {
            var b = new IrBlock(Blocks.Count);
            Blocks.Add(b);
            return b;
        }

        /// <summary>Reserves <paramref name="size"/> bytes of frame aligned to <paramref name="alignment"/>; returns the (negative) offset from r10.</summary>
        public int AllocateFrame(int size, int alignment)
        {
            int top = FrameSize + size;
            top = (top + alignment - 1) / alignment * alignment;
            FrameSize = top;
            return -top;
        }
    }

    /// <summary>Bytes of a frame one local or temporary takes: <paramref name="Offset"/> is negative from r10;
    /// <paramref name="Location"/> is where it is declared (null for what the compiler adds).</summary>
    internal readonly record struct StackUser(string Name, int Offset, int Size, Microsoft.CodeAnalysis.Location? Location);
}
