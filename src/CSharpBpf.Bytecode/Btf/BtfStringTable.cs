using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CSharpBpf.Bytecode.Btf
{
    /// <summary>A NUL-separated string table that starts with the empty string and stores each string once.</summary>
    public sealed class BtfStringTable
    {
        private readonly Dictionary<string, int> offsets = new Dictionary<string, int>(System.StringComparer.Ordinal) { [""] = 0 };
        private readonly MemoryStream bytes = new MemoryStream();

        /// <summary>Creates a table holding only "".</summary>
        public BtfStringTable() => bytes.WriteByte(0);

        /// <summary>The offset of <paramref name="value"/>, adding it if new.</summary>
        public int Add(string value)
        {
            if (offsets.TryGetValue(value, out int offset)) return offset;
            offset = (int)bytes.Length;
            var encoded = Encoding.UTF8.GetBytes(value);
            bytes.Write(encoded, 0, encoded.Length);
            bytes.WriteByte(0);
            offsets.Add(value, offset);
            return offset;
        }

        /// <summary>The table's bytes.</summary>
        public byte[] ToArray() => bytes.ToArray();
    }
}
