using System;
using System.Collections.Generic;
using System.Net;
using static CSharpBpf.Bytecode.Classic.Filters.Conditions;

namespace CSharpBpf.Bytecode.Classic.Filters
{
    /// <summary>Parses a pcap-filter(7) expression into a <see cref="FilterCondition"/>, building each primitive's tests
    /// as it goes (so <c>vlan</c> shifts the offsets of what follows, as in libpcap). Precedence as libpcap's grammar:
    /// <c>and</c> and <c>or</c> share one level and associate left (<c>a or b and c</c> is <c>(a or b) and c</c>);
    /// <c>not</c> binds tighter; in arithmetic <c>|</c> &lt; <c>&amp;</c> &lt; shifts &lt;
    /// <c>+ -</c> &lt; <c>* /</c> &lt; unary minus, and <c>%</c> and <c>^</c>, which libpcap's grammar leaves without a
    /// precedence, take everything to their right.</summary>
    internal sealed class FilterParser
    {
        private static readonly Dictionary<string, FilterProtocol> ProtocolNames = new(StringComparer.Ordinal)
        {
            ["ether"] = FilterProtocol.Link, ["link"] = FilterProtocol.Link, ["ip"] = FilterProtocol.Ip, ["ip6"] = FilterProtocol.Ip6,
            ["arp"] = FilterProtocol.Arp, ["rarp"] = FilterProtocol.Rarp, ["atalk"] = FilterProtocol.Atalk, ["aarp"] = FilterProtocol.Aarp,
            ["decnet"] = FilterProtocol.Decnet, ["sca"] = FilterProtocol.Sca, ["lat"] = FilterProtocol.Lat, ["mopdl"] = FilterProtocol.Mopdl,
            ["moprc"] = FilterProtocol.Moprc, ["tcp"] = FilterProtocol.Tcp, ["udp"] = FilterProtocol.Udp, ["sctp"] = FilterProtocol.Sctp,
            ["icmp"] = FilterProtocol.Icmp, ["icmp6"] = FilterProtocol.Icmp6, ["igmp"] = FilterProtocol.Igmp, ["igrp"] = FilterProtocol.Igrp,
            ["pim"] = FilterProtocol.Pim, ["vrrp"] = FilterProtocol.Vrrp, ["carp"] = FilterProtocol.Carp, ["ah"] = FilterProtocol.Ah, ["esp"] = FilterProtocol.Esp,
        };

        private static readonly Dictionary<string, uint> IpProtocolNumbers = new(StringComparer.Ordinal)
        {
            ["icmp"] = 1, ["igmp"] = 2, ["igrp"] = 9, ["tcp"] = 6, ["udp"] = 17, ["icmp6"] = 58, ["pim"] = 103, ["vrrp"] = 112,
            ["carp"] = 112, ["sctp"] = 132, ["ah"] = 51, ["esp"] = 50, ["gre"] = 47, ["ospf"] = 89,
        };

        private static readonly Dictionary<string, uint> Ethertypes = new(StringComparer.Ordinal)
        {
            ["ip"] = FilterPrimitives.EthertypeIp, ["ip6"] = FilterPrimitives.EthertypeIp6, ["arp"] = FilterPrimitives.EthertypeArp,
            ["rarp"] = FilterPrimitives.EthertypeRarp, ["atalk"] = 0x809b, ["aarp"] = 0x80f3, ["decnet"] = 0x6003, ["sca"] = 0x6007,
            ["lat"] = 0x6004, ["mopdl"] = 0x6001, ["moprc"] = 0x6002,
        };

        /// <summary>The names pcap-filter(7) gives offsets and values in byte expressions.</summary>
        private static readonly Dictionary<string, uint> NamedConstants = new(StringComparer.Ordinal)
        {
            ["tcpflags"] = 13, ["tcp-fin"] = 0x01, ["tcp-syn"] = 0x02, ["tcp-rst"] = 0x04, ["tcp-push"] = 0x08, ["tcp-ack"] = 0x10,
            ["tcp-urg"] = 0x20, ["tcp-ece"] = 0x40, ["tcp-cwr"] = 0x80,
            ["icmptype"] = 0, ["icmpcode"] = 1, ["icmp-echoreply"] = 0, ["icmp-unreach"] = 3, ["icmp-sourcequench"] = 4, ["icmp-redirect"] = 5,
            ["icmp-echo"] = 8, ["icmp-routeradvert"] = 9, ["icmp-routersolicit"] = 10, ["icmp-timxceed"] = 11, ["icmp-paramprob"] = 12,
            ["icmp-tstamp"] = 13, ["icmp-tstampreply"] = 14, ["icmp-ireq"] = 15, ["icmp-ireqreply"] = 16, ["icmp-maskreq"] = 17, ["icmp-maskreply"] = 18,
            ["icmp6type"] = 0, ["icmp6code"] = 1, ["icmp6-destinationunreach"] = 1, ["icmp6-packettoobig"] = 2, ["icmp6-timeexceeded"] = 3,
            ["icmp6-parameterproblem"] = 4, ["icmp6-echo"] = 128, ["icmp6-echoreply"] = 129, ["icmp6-multicastlistenerquery"] = 130,
            ["icmp6-multicastlistenerreportv1"] = 131, ["icmp6-multicastlistenerdone"] = 132, ["icmp6-routersolicit"] = 133,
            ["icmp6-routeradvert"] = 134, ["icmp6-neighborsolicit"] = 135, ["icmp6-neighboradvert"] = 136, ["icmp6-redirect"] = 137,
            ["icmp6-routerrenum"] = 138, ["icmp6-nodeinformationquery"] = 139, ["icmp6-nodeinformationresponse"] = 140,
            ["icmp6-ineighbordiscoverysolicit"] = 141, ["icmp6-ineighbordiscoveryadvert"] = 142, ["icmp6-multicastlistenerreportv2"] = 143,
        };

        private readonly List<FilterToken> _tokens;
        private readonly FilterPrimitives _primitives = new();
        private int _position;
        private FilterQualifiers? _last;
        private int _byteExpressionDepth;

        private FilterParser(string expression) => _tokens = FilterLexer.Tokenize(expression);

        public static FilterCondition Parse(string expression)
        {
            var parser = new FilterParser(expression);
            if (parser.Peek.Kind == FilterTokenKind.End) return ConstantCondition.True; // tcpdump's empty filter takes everything
            var condition = parser.ParseExpression();
            if (parser.Peek.Kind != FilterTokenKind.End)
                throw parser.Error(parser.Peek, $"expected 'and', 'or' or the end of the expression, found {parser.Peek.Describe()}");
            return condition;
        }

        private FilterToken Peek => _tokens[_position];
        private FilterToken PeekAt(int ahead) => _tokens[Math.Min(_position + ahead, _tokens.Count - 1)];
        private FilterToken Next() => _tokens[_position++];
        private PacketFilterException Error(FilterToken at, string reason) => new(at.Column, reason);

        private FilterToken Expect(string text, string what)
        {
            if (!Peek.Is(text)) throw Error(Peek, $"expected {what}, found {Peek.Describe()}");
            return Next();
        }

        private FilterCondition ParseExpression()
        {
            var left = ParseUnary();
            while (true)
            {
                if (Peek.Is("and") || Peek.Is("&&")) { Next(); left = new AndCondition(left, ParseUnaryOrBareId()); }
                else if (Peek.Is("or") || Peek.Is("||")) { Next(); left = new OrCondition(left, ParseUnaryOrBareId()); }
                else return left;
            }
        }

        /// <summary>After and/or/not a bare id ("host a or b") takes the previous primitive's qualifiers.</summary>
        private FilterCondition ParseUnaryOrBareId()
        {
            if (_last != null && IsBareId()) return Primitive(_last, Peek);
            return ParseUnary();
        }

        private bool IsBareId() => Peek.Kind switch
        {
            FilterTokenKind.Ipv4 or FilterTokenKind.Ipv6 or FilterTokenKind.Mac => true,
            FilterTokenKind.Number => !IsArithmeticOperator(PeekAt(1)),
            _ => false,
        };

        private FilterCondition ParseUnary()
        {
            var token = Peek;
            if (token.Is("not") || token.Is("!"))
            {
                Next();
                return new NotCondition(ParseUnaryOrBareId());
            }
            if (token.Is("("))
            {
                // "(" opens either a boolean group or an arithmetic operand of a relation: try the relation first.
                int saved = _position;
                var (linkType, network, last) = (_primitives.LinkTypeOffset, _primitives.NetworkOffset, _last);
                try
                {
                    return ParseRelation();
                }
                catch (PacketFilterException)
                {
                    _position = saved;
                    (_primitives.LinkTypeOffset, _primitives.NetworkOffset, _last) = (linkType, network, last);
                }
                Next();
                var inner = ParseExpression();
                Expect(")", "')' to close the '(' at column " + token.Column);
                return inner;
            }
            if (token.Kind == FilterTokenKind.Number || token.Is("len") || token.Is("-")
                || (token.Kind == FilterTokenKind.Name && ProtocolNames.ContainsKey(token.Text) && PeekAt(1).Is("[")))
                return ParseRelation();
            return ParsePrimitive();
        }

        private FilterCondition ParsePrimitive()
        {
            var start = Peek;
            switch (start.Text)
            {
                case "less":
                case "greater":
                    Next();
                    uint length = ExpectNumber($"a length in bytes after '{start.Text}'");
                    _last = null;
                    return start.Text == "less"
                        ? new NotCondition(new TestCondition(new LengthValue(), ClassicJumpOperation.Greater, new ConstantValue(length)))
                        : new TestCondition(new LengthValue(), ClassicJumpOperation.GreaterOrEqual, new ConstantValue(length));
                case "vlan":
                    Next();
                    uint? id = Peek.Kind == FilterTokenKind.Number ? Next().Value : null;
                    if (id > 4095) throw Error(_tokens[_position - 1], $"VLAN id {id} is out of range (0 to 4095)");
                    _last = null;
                    return _primitives.Vlan(id);
                case "broadcast":
                    Next();
                    return _primitives.EtherBroadcast();
                case "multicast":
                    Next();
                    return _primitives.EtherMulticast();
                case "inbound":
                case "outbound":
                case "mpls":
                case "pppoes":
                case "pppoed":
                case "geneve":
                case "gateway":
                case "protochain":
                case "ifname":
                case "on":
                    throw Error(start, $"'{start.Text}' is not supported by this compiler yet (it compiles Ethernet filters: hosts, nets, ports, protocols, vlan, byte expressions)");
            }
            var protocol = FilterProtocol.Default;
            if (start.Kind == FilterTokenKind.Name && ProtocolNames.TryGetValue(start.Text, out var named))
            {
                protocol = named;
                Next();
                if (Peek.Is("broadcast") || Peek.Is("multicast")) return BroadcastOrMulticast(protocol, Next());
                if (Peek.Is("proto")) return ProtocolNumber(protocol, Next());
                if (Peek.Is("protochain"))
                    throw Error(Peek, $"'{start.Text} protochain' is not supported by this compiler yet (libpcap follows the IPv6 extension-header chain with a loop of its own): write '{start.Text} proto N' for the first header");
            }
            var direction = ParseDirection();
            var kind = FilterIdKind.Default;
            if (Peek.Is("host")) { Next(); kind = FilterIdKind.Host; }
            else if (Peek.Is("net")) { Next(); kind = FilterIdKind.Net; }
            else if (Peek.Is("port")) { Next(); kind = FilterIdKind.Port; }
            else if (Peek.Is("portrange")) { Next(); kind = FilterIdKind.PortRange; }
            else if (Peek.Is("proto") && protocol == FilterProtocol.Default && direction == FilterDirection.Default) return ProtocolNumber(protocol, Next());
            var qualifiers = new FilterQualifiers(protocol, direction, kind);
            if (direction == FilterDirection.Default && kind == FilterIdKind.Default && protocol != FilterProtocol.Default)
            {
                if (protocol == FilterProtocol.Link) throw Error(Peek, $"expected 'host', 'src', 'dst', 'proto', 'broadcast' or 'multicast' after 'ether', found {Peek.Describe()}");
                _last = qualifiers;
                return _primitives.Protocol(protocol);
            }
            return Primitive(qualifiers, Peek);
        }

        private FilterDirection ParseDirection()
        {
            if (!Peek.Is("src") && !Peek.Is("dst")) return FilterDirection.Default;
            bool source = Next().Text == "src";
            if ((Peek.Is("or") || Peek.Is("and")) && PeekAt(1).Is(source ? "dst" : "src"))
            {
                bool or = Next().Text == "or";
                Next();
                return or ? FilterDirection.SourceOrDestination : FilterDirection.SourceAndDestination;
            }
            return source ? FilterDirection.Source : FilterDirection.Destination;
        }

        /// <summary>A primitive's id under its qualifiers: an address, network, port or range.</summary>
        private FilterCondition Primitive(FilterQualifiers q, FilterToken id)
        {
            _last = q;
            switch (id.Kind)
            {
                case FilterTokenKind.Mac:
                    Next();
                    if (q.Protocol != FilterProtocol.Link || q.Kind is not (FilterIdKind.Default or FilterIdKind.Host))
                        throw Error(id, "an Ethernet address goes with 'ether host', 'ether src' or 'ether dst'");
                    FilterAddresses.TryParseMac(id.Text, out var mac);
                    return _primitives.EtherHost(q.Direction, mac);
                case FilterTokenKind.Ipv4:
                    Next();
                    return Ipv4(q, id);
                case FilterTokenKind.Ipv6:
                    Next();
                    return Ipv6(q, id);
                case FilterTokenKind.Number:
                    Next();
                    if (q.Kind == FilterIdKind.Port) return Ports(q, id, id.Value, id.Value);
                    if (q.Kind == FilterIdKind.PortRange)
                    {
                        Expect("-", "'-' between the ends of the port range");
                        var high = Peek;
                        uint last = ExpectNumber("the port range's last port");
                        return Ports(q, id, Math.Min(id.Value, last), Math.Max(high.Value, id.Value));
                    }
                    if (q.Kind == FilterIdKind.Net) return Ipv4(q, id);
                    throw Error(id, $"a number here needs a qualifier: 'port {id.Text}', 'net {id.Text}' or 'proto {id.Text}'");
                case FilterTokenKind.Name when q == FilterQualifiers.None && (id.Is("and") || id.Is("or")):
                    throw Error(id, $"expected a filter primitive (host, net, port, a protocol, vlan, len…) before '{id.Text}', found '{id.Text}'");
                case FilterTokenKind.Name:
                    throw Error(id, $"'{id.Text}' is not an address, a number or a filter keyword; host names are not resolved here: write the address");
                default:
                    throw Error(id, q == FilterQualifiers.None
                        ? $"expected a filter primitive (host, net, port, a protocol, vlan, len…), found {id.Describe()}"
                        : $"expected an address or number after the qualifiers, found {id.Describe()}");
            }
        }

        private FilterCondition Ipv4(FilterQualifiers q, FilterToken id)
        {
            if (q.Protocol is not (FilterProtocol.Default or FilterProtocol.Ip or FilterProtocol.Arp or FilterProtocol.Rarp))
                throw Error(id, $"an IPv4 address goes with 'ip', 'arp', 'rarp' or no protocol, not '{q.Protocol.ToString().ToLowerInvariant()}'");
            if (q.Kind is FilterIdKind.Port or FilterIdKind.PortRange) throw Error(id, "a port is a number, not an address");
            uint address;
            int parts;
            if (id.Kind == FilterTokenKind.Number) (address, parts) = (id.Value << 24, 1);
            else FilterAddresses.TryParseIpv4(id.Text, out address, out parts);
            uint mask = parts == 4 ? 0xffffffff : ~(0xffffffffu >> (parts * 8));
            if (q.Kind == FilterIdKind.Net)
            {
                if (Peek.Is("/"))
                {
                    Next();
                    var lengthToken = Peek;
                    uint prefix = ExpectNumber("a prefix length after '/'");
                    if (prefix > 32) throw Error(lengthToken, $"an IPv4 prefix is 0 to 32 bits, not {prefix}");
                    mask = prefix == 0 ? 0 : ~(0xffffffffu >> (int)prefix);
                }
                else if (Peek.Is("mask"))
                {
                    Next();
                    var maskToken = Next();
                    if (maskToken.Kind != FilterTokenKind.Ipv4 || !FilterAddresses.TryParseIpv4(maskToken.Text, out mask, out int maskParts) || maskParts != 4)
                        throw Error(maskToken, "expected a dotted mask like 255.255.0.0 after 'mask'");
                }
                if ((address & ~mask) != 0) throw Error(id, $"{id.Text} has bits set outside its mask: write the network address");
            }
            else if (parts != 4) throw Error(id, $"'{id.Text}' is a network: write 'net {id.Text}' or a full address");
            else if (Peek.Is("/") || Peek.Is("mask")) throw Error(Peek, $"a mask goes with 'net', not with a host: write 'net {id.Text}{Peek.Text}…'");
            return _primitives.Ipv4(q.Protocol, q.Direction, address & mask, mask);
        }

        private FilterCondition Ipv6(FilterQualifiers q, FilterToken id)
        {
            if (q.Protocol is not (FilterProtocol.Default or FilterProtocol.Ip6))
                throw Error(id, "an IPv6 address goes with 'ip6' or no protocol");
            if (q.Kind is FilterIdKind.Port or FilterIdKind.PortRange) throw Error(id, "a port is a number, not an address");
            var address = IPAddress.Parse(id.Text).GetAddressBytes();
            int prefix = 128;
            if (Peek.Is("/"))
            {
                if (q.Kind != FilterIdKind.Net) throw Error(Peek, $"a prefix length goes with 'net': write 'net {id.Text}/…'");
                Next();
                var lengthToken = Peek;
                prefix = (int)ExpectNumber("a prefix length after '/'");
                if (prefix > 128) throw Error(lengthToken, $"an IPv6 prefix is 0 to 128 bits, not {prefix}");
            }
            for (int bit = prefix; bit < 128; bit++)
                if ((address[bit / 8] & (0x80 >> (bit % 8))) != 0) throw Error(id, $"{id.Text} has bits set outside its /{prefix} prefix: write the network address");
            return _primitives.Ipv6(q.Direction, address, prefix);
        }

        private FilterCondition Ports(FilterQualifiers q, FilterToken at, uint low, uint high)
        {
            if (q.Protocol is not (FilterProtocol.Default or FilterProtocol.Tcp or FilterProtocol.Udp or FilterProtocol.Sctp or FilterProtocol.Ip or FilterProtocol.Ip6))
                throw Error(at, $"ports go with 'tcp', 'udp', 'sctp', 'ip', 'ip6' or no protocol, not '{q.Protocol.ToString().ToLowerInvariant()}'");
            if (high > 65535) throw Error(at, $"a port is 0 to 65535, not {high}");
            return _primitives.Ports(q.Protocol, q.Direction, low, high);
        }

        private FilterCondition BroadcastOrMulticast(FilterProtocol protocol, FilterToken keyword)
        {
            _last = null;
            bool broadcast = keyword.Text == "broadcast";
            return protocol switch
            {
                FilterProtocol.Link => broadcast ? _primitives.EtherBroadcast() : _primitives.EtherMulticast(),
                FilterProtocol.Ip => broadcast ? _primitives.IpBroadcast() : _primitives.IpMulticast(),
                FilterProtocol.Ip6 when !broadcast => _primitives.Ip6Multicast(),
                _ => throw Error(keyword, $"'{keyword.Text}' goes with 'ether', 'ip'{(broadcast ? "" : " or 'ip6'")}"),
            };
        }

        /// <summary><c>ether proto N</c>, <c>ip proto N</c>, <c>ip6 proto N</c>, <c>proto N</c>: N a number or a name (<c>\tcp</c>).</summary>
        private FilterCondition ProtocolNumber(FilterProtocol protocol, FilterToken keyword)
        {
            _last = new FilterQualifiers(protocol, FilterDirection.Default, FilterIdKind.Proto);
            var id = Next();
            uint number;
            if (id.Kind == FilterTokenKind.Number) number = id.Value;
            else if (id.Kind == FilterTokenKind.Name && (protocol == FilterProtocol.Link ? Ethertypes : IpProtocolNumbers).TryGetValue(id.Text, out uint known)) number = known;
            else throw Error(id, protocol == FilterProtocol.Link
                ? $"expected an ethertype after 'ether proto' (a number or \\ip, \\ip6, \\arp, \\rarp…), found {id.Describe()}"
                : $"expected a protocol number or name (\\tcp, \\udp, \\icmp…) after 'proto', found {id.Describe()}");
            switch (protocol)
            {
                case FilterProtocol.Link:
                    if (number <= 1500) throw Error(id, $"ethertype {number} is an 802.3 length: LLC protocols (iso, stp, ipx, netbeui) are not supported by this compiler yet");
                    return _primitives.Ethertype(number);
                case FilterProtocol.Ip:
                    return _primitives.IpProtocol(Byte(id, number));
                case FilterProtocol.Ip6:
                    return _primitives.Ip6Protocol(Byte(id, number));
                case FilterProtocol.Default:
                    return _primitives.AnyIpProtocol(Byte(id, number));
                default:
                    throw Error(keyword, "'proto' goes with 'ether', 'ip', 'ip6' or nothing");
            }
        }

        private uint Byte(FilterToken at, uint number) => number <= 255 ? number : throw Error(at, $"an IP protocol number is 0 to 255, not {number}");

        private uint ExpectNumber(string what)
        {
            if (Peek.Kind != FilterTokenKind.Number) throw Error(Peek, $"expected {what}, found {Peek.Describe()}");
            return Next().Value;
        }

        // Relations and arithmetic.

        private FilterCondition ParseRelation()
        {
            _last = null;
            var (left, leftGuard) = ParseArithmetic(0);
            var op = Peek;
            (ClassicJumpOperation Jump, bool Negate) relation = op.Text switch
            {
                ">" => (ClassicJumpOperation.Greater, false),
                ">=" => (ClassicJumpOperation.GreaterOrEqual, false),
                "=" or "==" => (ClassicJumpOperation.Equal, false),
                "<" => (ClassicJumpOperation.GreaterOrEqual, true),
                "<=" => (ClassicJumpOperation.Greater, true),
                "!=" => (ClassicJumpOperation.Equal, true),
                _ => throw Error(op, $"expected a comparison (=, !=, <, <=, >, >=), found {op.Describe()}"),
            };
            if (op.Kind != FilterTokenKind.Symbol) throw Error(op, $"expected a comparison, found {op.Describe()}");
            Next();
            var (right, rightGuard) = ParseArithmetic(0);
            FilterCondition test = left.Constant is uint l && right.Constant is uint r
                ? (Compare(relation.Jump, l, r) ? ConstantCondition.True : ConstantCondition.False)
                : BitTest(left, relation.Jump, right) ?? new TestCondition(left, relation.Jump, right);
            if (relation.Negate) test = new NotCondition(test);
            // libpcap tests the right operand's protocol first, then the left's.
            if (leftGuard != null) test = new AndCondition(leftGuard, test);
            if (rightGuard != null) test = new AndCondition(rightGuard, test);
            return test;
        }

        /// <summary>(v &amp; mask) == 0 is !(v jset mask), as libpcap's peephole makes it.</summary>
        private static FilterCondition? BitTest(FilterValue left, ClassicJumpOperation op, FilterValue right) =>
            op == ClassicJumpOperation.Equal && right.Constant == 0 && left is ArithmeticValue { Operation: ClassicAluOperation.And, Right: ConstantValue mask }
                ? new NotCondition(AnyBitSet(((ArithmeticValue)left).Left, mask.Value))
                : null;

        private static bool Compare(ClassicJumpOperation op, uint l, uint r) => op switch
        {
            ClassicJumpOperation.Greater => l > r,
            ClassicJumpOperation.GreaterOrEqual => l >= r,
            _ => l == r,
        };

        private static int Precedence(FilterToken token) => token.Kind != FilterTokenKind.Symbol ? -1 : token.Text switch
        {
            "|" => 1,
            "&" => 2,
            "<<" or ">>" => 3,
            "+" or "-" => 4,
            "*" or "/" => 5,
            "%" or "^" => 6,
            _ => -1,
        };

        private static bool IsArithmeticOperator(FilterToken token) => Precedence(token) > 0
            || token.Kind == FilterTokenKind.Symbol && token.Text is ">" or ">=" or "=" or "==" or "<" or "<=" or "!=";

        /// <summary>Precedence climbing; the result's guard is its left operand's, as in libpcap (gen_arth keeps a0's).</summary>
        private (FilterValue Value, FilterCondition? Guard) ParseArithmetic(int minimum)
        {
            var (left, guard) = ParseArithmeticOperand();
            while (true)
            {
                var op = Peek;
                int precedence = Precedence(op);
                if (precedence < 0) return (left, guard);
                bool shiftsAlways = op.Text is "%" or "^"; // no precedence in libpcap's grammar: yacc shifts
                if (!shiftsAlways && precedence < minimum) return (left, guard);
                Next();
                var (right, _) = ParseArithmetic(shiftsAlways ? 0 : precedence + 1);
                left = Arithmetic(op, left, right);
            }
        }

        private FilterValue Arithmetic(FilterToken op, FilterValue left, FilterValue right)
        {
            var operation = op.Text switch
            {
                "+" => ClassicAluOperation.Add, "-" => ClassicAluOperation.Sub, "*" => ClassicAluOperation.Mul, "/" => ClassicAluOperation.Div,
                "%" => ClassicAluOperation.Mod, "&" => ClassicAluOperation.And, "|" => ClassicAluOperation.Or, "^" => ClassicAluOperation.Xor,
                "<<" => ClassicAluOperation.Lsh, _ => ClassicAluOperation.Rsh,
            };
            if (right.Constant is uint k)
            {
                if (k == 0 && operation == ClassicAluOperation.Div) throw Error(op, "division by zero");
                if (k == 0 && operation == ClassicAluOperation.Mod) throw Error(op, "modulus by zero");
                if (k > 31 && operation is ClassicAluOperation.Lsh or ClassicAluOperation.Rsh) throw Error(op, $"shift by {k}: at most 31 bits");
                if (left.Constant is uint l) return new ConstantValue(Fold(operation, l, k));
            }
            return new ArithmeticValue(operation, left, right);
        }

        private static uint Fold(ClassicAluOperation op, uint l, uint r) => op switch
        {
            ClassicAluOperation.Add => l + r,
            ClassicAluOperation.Sub => l - r,
            ClassicAluOperation.Mul => l * r,
            ClassicAluOperation.Div => l / r,
            ClassicAluOperation.Mod => l % r,
            ClassicAluOperation.And => l & r,
            ClassicAluOperation.Or => l | r,
            ClassicAluOperation.Xor => l ^ r,
            ClassicAluOperation.Lsh => l << (int)r,
            _ => l >> (int)r,
        };

        private (FilterValue Value, FilterCondition? Guard) ParseArithmeticOperand()
        {
            var token = Peek;
            if (token.Kind == FilterTokenKind.Number) { Next(); return (new ConstantValue(token.Value), null); }
            if (token.Is("len")) { Next(); return (new LengthValue(), null); }
            if (token.Is("-"))
            {
                Next();
                var (operand, guard) = ParseArithmeticOperand();
                return (operand.Constant is uint k ? new ConstantValue(0u - k) : new NegatedValue(operand), guard);
            }
            if (token.Is("("))
            {
                Next();
                var inner = ParseArithmetic(0);
                Expect(")", "')' to close the '(' at column " + token.Column);
                return inner;
            }
            if (token.Kind == FilterTokenKind.Name && NamedConstants.TryGetValue(token.Text, out uint named)) { Next(); return (new ConstantValue(named), null); }
            if (token.Kind == FilterTokenKind.Name && ProtocolNames.TryGetValue(token.Text, out var protocol) && PeekAt(1).Is("["))
            {
                Next();
                Next();
                if (++_byteExpressionDepth > 64) throw Error(token, "byte expressions nest too deeply");
                var (index, indexGuard) = ParseArithmetic(0);
                _byteExpressionDepth--;
                int size = 1;
                if (Peek.Is(":"))
                {
                    Next();
                    var sizeToken = Peek;
                    uint requested = ExpectNumber("a size of 1, 2 or 4 bytes after ':'");
                    if (requested is not (1 or 2 or 4)) throw Error(sizeToken, $"a byte expression reads 1, 2 or 4 bytes, not {requested}");
                    size = (int)requested;
                }
                Expect("]", "']' to close the byte expression");
                if (protocol is FilterProtocol.Ah or FilterProtocol.Esp or FilterProtocol.Default)
                    throw Error(token, $"'{token.Text}[…]' is not a byte expression libpcap defines: use ether, ip, ip6, arp, rarp, tcp, udp, sctp, icmp, icmp6, igmp…");
                var (value, guard) = _primitives.ByteLoad(protocol, index, size);
                // The index's own protocol test comes first (gen_load).
                FilterCondition? combined = indexGuard == null ? guard : guard == null ? indexGuard : new AndCondition(indexGuard, guard);
                return (value, combined);
            }
            throw Error(token, $"expected a number, 'len', a byte expression such as ip[0] or '(', found {token.Describe()}");
        }
    }
}
