using System;
using System.Buffers.Binary;
using System.Text;

namespace CSharpBpf.Bytecode
{
    /// <summary>Bounds-checked little-endian reads from a section: every read past the end becomes a
    /// <see cref="BpfObjectFormatException"/> naming the section and offset, never an IndexOutOfRange.</summary>
    internal sealed class ByteReader
    {
        private readonly byte[] data;
        private readonly int start;

        public ByteReader(byte[] data, int start, int length, string section)
        {
            if (start < 0 || length < 0 || (long)start + length > data.Length)
                throw new BpfObjectFormatException(section, start, $"{length} bytes do not fit in the {data.Length}-byte file");
            this.data = data;
            this.start = start;
            Length = length;
            Section = section;
        }

        public string Section { get; }
        public int Length { get; }

        public BpfObjectFormatException Error(long offset, string reason) => new BpfObjectFormatException(Section, offset, reason);

        public ReadOnlySpan<byte> Span(long offset, long count)
        {
            if (offset < 0 || count < 0 || offset + count > Length)
                throw Error(offset, $"reading {count} bytes runs past the end ({Length} bytes)");
            return data.AsSpan(start + (int)offset, (int)count);
        }

        public byte U8(long offset) => Span(offset, 1)[0];
        public ushort U16(long offset) => BinaryPrimitives.ReadUInt16LittleEndian(Span(offset, 2));
        public uint U32(long offset) => BinaryPrimitives.ReadUInt32LittleEndian(Span(offset, 4));
        public ulong U64(long offset) => BinaryPrimitives.ReadUInt64LittleEndian(Span(offset, 8));
        public int I32(long offset) => (int)U32(offset);

        /// <summary>A NUL-terminated string starting at <paramref name="offset"/>.</summary>
        public string CString(long offset)
        {
            var rest = Span(offset, Length - offset);
            int end = rest.IndexOf((byte)0);
            if (end < 0) throw Error(offset, "string is not NUL-terminated");
            return Encoding.UTF8.GetString(rest.Slice(0, end).ToArray());
        }
    }
}
