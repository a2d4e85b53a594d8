using System.Linq;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>Splits a pcap-filter(7) expression into tokens as libpcap's scanner does: names may hold '-', '_' and
    /// '.' (<c>tcp-syn</c>, <c>icmp-echo</c>; so <c>len-14</c> is one name, write <c>len - 14</c>), numbers are decimal,
    /// 0x hex or 0-prefixed octal, addresses are IPv4 (dotted, possibly partial for nets), IPv6 and MAC
    /// (<c>xx:xx:xx:xx:xx:xx</c>, <c>xx-xx-…</c>, <c>xxxx.xxxx.xxxx</c>), and <c>\name</c> is a name.</summary>
    internal static class FilterLexer
    {
        private static readonly string[] Symbols = { "&&", "||", "<<", ">>", "<=", ">=", "==", "!=", "(", ")", "[", "]", ":", "+", "-", "*", "/", "%", "&", "|", "^", "=", "<", ">", "!" };

        public static List<FilterToken> Tokenize(string text)
        {
            var tokens = new List<FilterToken>();
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                if (char.IsWhiteSpace(c)) { i++; continue; }
                int column = i + 1;
                if (c == '\\')
                {
                    int start = ++i;
                    while (i < text.Length && IsNameChar(text[i])) i++;
                    if (i == start) throw new PacketFilterException(column, "expected a name after '\\' (e.g. \\arp)");
                    tokens.Add(new FilterToken(FilterTokenKind.Name, text.Substring(start, i - start), column));
                    continue;
                }
                if (IsHexDigit(c) || c == ':')
                {
                    int end = i;
                    while (end < text.Length && (IsHexDigit(text[end]) || text[end] == ':' || text[end] == '.' || text[end] == '-')) end++;
                    // Try the longest address first, then shorter: "2:2" inside brackets is two numbers.
                    // A word written like an address that is not one is reported as such, not as a shorter address and a stray '.'.
                    if (MalformedAddress(text.Substring(i, end - i)) is { } problem) throw new PacketFilterException(column, problem);
                    if (TryAddress(text, i, end, out var address, out int length))
                    {
                        tokens.Add(new FilterToken(address, text.Substring(i, length), column));
                        i += length;
                        continue;
                    }
                }
                if (char.IsDigit(c))
                {
                    int start = i;
                    if (c == '0' && i + 1 < text.Length && (text[i + 1] == 'x' || text[i + 1] == 'X'))
                    {
                        i += 2;
                        while (i < text.Length && IsHexDigit(text[i])) i++;
                    }
                    else while (i < text.Length && char.IsDigit(text[i])) i++;
                    if (i < text.Length && (char.IsLetter(text[i]) || text[i] == '_'))
                        throw new PacketFilterException(column, $"'{ReadWord(text, start)}' is neither a number nor a name (names start with a letter)");
                    tokens.Add(new FilterToken(FilterTokenKind.Number, text.Substring(start, i - start), column, ParseNumber(text.Substring(start, i - start), column)));
                    continue;
                }
                if (char.IsLetter(c))
                {
                    int start = i;
                    while (i < text.Length && IsNameChar(text[i])) i++;
                    while (i > start + 1 && (text[i - 1] == '-' || text[i - 1] == '.')) i--; // a name does not end in '-' or '.'
                    tokens.Add(new FilterToken(FilterTokenKind.Name, text.Substring(start, i - start), column));
                    continue;
                }
                string? symbol = null;
                foreach (var s in Symbols)
                    if (string.CompareOrdinal(text, i, s, 0, s.Length) == 0) { symbol = s; break; }
                if (symbol == null) throw new PacketFilterException(column, $"'{c}' cannot appear in a filter expression");
                tokens.Add(new FilterToken(FilterTokenKind.Symbol, symbol, column));
                i += symbol.Length;
            }
            tokens.Add(new FilterToken(FilterTokenKind.End, "", text.Length + 1));
            return tokens;
        }

        /// <summary>What is wrong with a word that is written like an address but is not one (an IPv4 octet over 255, five
        /// dotted parts, a MAC address of five or seven octets), or null when it does not look like an address at all.</summary>
        private static string? MalformedAddress(string word)
        {
            word = word.TrimEnd('-', '.');
            var dotted = word.Split('.');
            if (dotted.Length > 1 && dotted.All(p => p.Length > 0 && p.All(char.IsDigit)))
            {
                if (dotted.Length > 4) return $"'{word}' is not an IPv4 address: it has {dotted.Length} parts, not 4";
                var big = dotted.FirstOrDefault(p => p.Length > 3 || int.Parse(p, CultureInfo.InvariantCulture) > 255);
                if (big != null) return $"'{word}' is not an IPv4 address: {big} is over 255";
            }
            var octets = word.Split(':');
            if (octets.Length >= 3 && octets.Length != 6 && !word.Contains(".") && octets.All(o => o.Length is 1 or 2 && o.All(IsHexDigit)))
                return $"'{word}' is not an Ethernet address: it has {octets.Length} octets, not 6 (write six, like 00:11:22:33:44:55)";
            if ((word.Contains("::") || octets.Length >= 3 && octets.Any(o => o.Length > 2)) && !IPAddress.TryParse(word, out _))
                return $"'{word}' is not an IPv6 address (eight groups of up to 4 hex digits, '::' once for a run of zeros)";
            return null;
        }

        private static bool TryAddress(string text, int start, int end, out FilterTokenKind kind, out int length)
        {
            for (int stop = end; stop > start; stop--)
            {
                string candidate = text.Substring(start, stop - start);
                if (stop < text.Length && (char.IsLetterOrDigit(text[stop]) || text[stop] == '_')) continue;
                if (FilterAddresses.TryParseMac(candidate, out _)) { kind = FilterTokenKind.Mac; length = candidate.Length; return true; }
                if (candidate.Contains(":") && IPAddress.TryParse(candidate, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    kind = FilterTokenKind.Ipv6;
                    length = candidate.Length;
                    return true;
                }
                if (candidate.Contains(".") && FilterAddresses.TryParseIpv4(candidate, out _, out _))
                {
                    kind = FilterTokenKind.Ipv4;
                    length = candidate.Length;
                    return true;
                }
            }
            kind = default;
            length = 0;
            return false;
        }

        private static uint ParseNumber(string text, int column)
        {
            bool ok;
            ulong value;
            if (text.StartsWith("0x", System.StringComparison.OrdinalIgnoreCase))
                ok = ulong.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text.Length > 2;
            else if (text.Length > 1 && text[0] == '0')
            {
                value = 0;
                ok = true;
                foreach (char d in text)
                {
                    if (d > '7') { ok = false; break; }
                    value = value * 8 + (ulong)(d - '0');
                    if (value > uint.MaxValue) break;
                }
            }
            else ok = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            if (!ok || value > uint.MaxValue) throw new PacketFilterException(column, $"'{text}' is not a 32-bit number (decimal, 0x hex or 0-prefixed octal)");
            return (uint)value;
        }

        private static string ReadWord(string text, int start)
        {
            int i = start;
            while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
            return text.Substring(start, i - start);
        }

        private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.';

        private static bool IsHexDigit(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
