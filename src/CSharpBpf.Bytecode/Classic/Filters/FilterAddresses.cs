using System;
using System.Globalization;

namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>The address forms of filter expressions.</summary>
    internal static class FilterAddresses
    {
        /// <summary>A MAC address: six groups of one or two hex digits joined by ':' or '-', or three groups of four
        /// joined by '.'.</summary>
        public static bool TryParseMac(string text, out byte[] address)
        {
            address = new byte[6];
            string[] parts = text.Split(':');
            if (parts.Length != 6) parts = text.Split('-');
            if (parts.Length == 6)
            {
                for (int i = 0; i < 6; i++)
                    if (parts[i].Length is < 1 or > 2 || !byte.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address[i])) return false;
                return true;
            }
            parts = text.Split('.');
            if (parts.Length != 3) return false;
            for (int i = 0; i < 3; i++)
            {
                if (parts[i].Length != 4 || !ushort.TryParse(parts[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort group)) return false;
                address[i * 2] = (byte)(group >> 8);
                address[i * 2 + 1] = (byte)group;
            }
            return true;
        }

        /// <summary>A dotted IPv4 address of one to four decimal parts: the value (parts left-aligned, as a network is
        /// written: "10.1" = 10.1.0.0) and the number of parts.</summary>
        public static bool TryParseIpv4(string text, out uint value, out int parts)
        {
            value = 0;
            var pieces = text.Split('.');
            parts = pieces.Length;
            if (parts is < 1 or > 4) return false;
            for (int i = 0; i < 4; i++)
            {
                uint part = 0;
                if (i < parts && !uint.TryParse(pieces[i], NumberStyles.None, CultureInfo.InvariantCulture, out part)) return false;
                if (part > 255) return false;
                value = value << 8 | part;
            }
            return true;
        }
    }
}
