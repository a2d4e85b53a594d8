using System;
using System.Collections.Generic;

namespace CSharpBpf.Bytecode.Btf
{
    /// <summary>Reads .BTF.ext (the layout drawn on <see cref="BtfExtWriter"/>); names resolve through the .BTF strings.</summary>
    public static class BtfExtReader
    {
        /// <summary>The three record kinds of a .BTF.ext section.</summary>
        public sealed record Contents(IReadOnlyList<FuncInfo> Funcs, IReadOnlyList<LineInfo> Lines, IReadOnlyList<CoreRelocation> CoreRelocations);

        /// <summary>Reads the section.</summary>
        public static Contents Read(byte[] file, int offset, int length, BtfReader btf)
        {
            var r = new ByteReader(file, offset, length, ".BTF.ext");
            if (r.U16(0) != BtfWriter.Magic) throw r.Error(0, $"magic 0x{r.U16(0):x4} is not BTF's 0xeb9f");
            uint header = r.U32(4);
            if (header < 24) throw r.Error(4, $"header length {header} is below 24");
            var funcs = new List<FuncInfo>();
            var lines = new List<LineInfo>();
            var core = new List<CoreRelocation>();
            ReadSub(r, header + r.U32(8), r.U32(12), 8, btf, (section, at) => funcs.Add(new FuncInfo(section, r.I32(at), r.I32(at + 4))));
            ReadSub(r, header + r.U32(16), r.U32(20), 16, btf, (section, at) =>
            {
                uint lineCol = r.U32(at + 12);
                lines.Add(new LineInfo(section, r.I32(at), btf.String(r.U32(at + 4)), btf.String(r.U32(at + 8)), (int)(lineCol >> 10), (int)(lineCol & 0x3ff)));
            });
            if (header >= 32)
                ReadSub(r, header + r.U32(24), r.U32(28), 16, btf, (section, at) =>
                    core.Add(new CoreRelocation(section, r.I32(at), r.I32(at + 4), btf.String(r.U32(at + 8)), r.I32(at + 12))));
            return new Contents(funcs, lines, core);
        }

        private static void ReadSub(ByteReader r, long start, long length, uint minimumRecord, BtfReader btf, Action<string, long> record)
        {
            if (length == 0) return;
            r.Span(start, length);
            uint size = r.U32(start);
            if (size < minimumRecord) throw r.Error(start, $"record size {size} is below {minimumRecord}");
            long at = start + 4, end = start + length;
            while (at < end)
            {
                string section = btf.String(r.U32(at));
                uint count = r.U32(at + 4);
                at += 8;
                if (count * (long)size > end - at) throw r.Error(at, $"{count} records of {size} bytes run past the sub-section");
                for (uint i = 0; i < count; i++, at += size) record(section, at);
            }
        }
    }
}
