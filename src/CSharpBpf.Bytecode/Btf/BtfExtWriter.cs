using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CSharpBpf.Bytecode.Btf
{
    /// <summary>
    /// Encodes .BTF.ext. Its strings live in the .BTF string table, so write this before
    /// <see cref="BtfWriter.Write"/> with the same <see cref="BtfStringTable"/>.
    /// <code>
    /// header (32 bytes): u16 magic | u8 version | u8 flags | u32 hdr_len
    ///                    | u32 func_info_off | u32 func_info_len | u32 line_info_off | u32 line_info_len
    ///                    | u32 core_relo_off | u32 core_relo_len          (offsets after the header)
    /// each sub-section: u32 record_size, then per ELF section: u32 sec_name_off | u32 count | records
    ///   func_info  (8):  u32 insn_off | u32 type_id
    ///   line_info (16):  u32 insn_off | u32 file_name_off | u32 line_off | u32 line &lt;&lt; 10 | column
    ///   core_relo (16):  u32 insn_off | u32 type_id | u32 access_str_off | u32 kind
    /// </code>
    /// </summary>
    public static class BtfExtWriter
    {
        /// <summary>Encodes the three sub-sections.</summary>
        public static byte[] Write(IEnumerable<FuncInfo> funcs, IEnumerable<LineInfo> lines, IEnumerable<CoreRelocation> relocations, BtfStringTable strings)
        {
            var funcBytes = SubSection(8, funcs.GroupBy(f => f.Section), f => new[] { (uint)f.InstructionOffset, (uint)f.TypeId }, strings);
            var lineBytes = SubSection(16, lines.GroupBy(l => l.Section), l => new[]
            {
                (uint)l.InstructionOffset, (uint)strings.Add(l.FileName), (uint)strings.Add(l.LineText), ((uint)l.Line << 10) | (uint)(l.Column & 0x3ff),
            }, strings);
            var coreBytes = SubSection(16, relocations.GroupBy(r => r.Section), r => new[]
            {
                (uint)r.InstructionOffset, (uint)r.TypeId, (uint)strings.Add(r.AccessString), (uint)r.Kind,
            }, strings);

            var output = new MemoryStream();
            var w = new BinaryWriter(output);
            w.Write(BtfWriter.Magic);
            w.Write((byte)1);
            w.Write((byte)0);
            w.Write(32u);
            w.Write(0u);
            w.Write((uint)funcBytes.Length);
            w.Write((uint)funcBytes.Length);
            w.Write((uint)lineBytes.Length);
            w.Write((uint)(funcBytes.Length + lineBytes.Length));
            w.Write((uint)coreBytes.Length);
            w.Write(funcBytes);
            w.Write(lineBytes);
            w.Write(coreBytes);
            w.Flush();
            return output.ToArray();
        }

        private static byte[] SubSection<T>(uint recordSize, IEnumerable<IGrouping<string, T>> sections, System.Func<T, uint[]> record, BtfStringTable strings)
        {
            var output = new MemoryStream();
            var w = new BinaryWriter(output);
            w.Write(recordSize);
            bool any = false;
            foreach (var section in sections)
            {
                any = true;
                var records = section.ToList();
                w.Write((uint)strings.Add(section.Key));
                w.Write((uint)records.Count);
                foreach (var r in records)
                    foreach (var field in record(r)) w.Write(field);
            }
            w.Flush();
            // An empty sub-section is written as nothing at all (length 0), as clang does.
            return any ? output.ToArray() : System.Array.Empty<byte>();
        }
    }
}
