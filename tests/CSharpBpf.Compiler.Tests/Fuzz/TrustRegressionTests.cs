using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Testing;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Fuzz;

/// <summary>
/// Issue #16's inputs and their variants: each is built by the generator, loaded by the kernel, and run in the kernel,
/// as plain .NET and (without maps) in the VM on the fuzzer's frames; every action, packet, global and map must agree.
/// The body runs inside an XDP program where <c>v</c> (ulong), <c>w</c> (uint) and <c>x</c> (int) come from the packet,
/// <c>am</c> is a <c>BpfArray&lt;long&gt;</c> of 8 results, <c>R0</c>…<c>R3</c> are globals.
/// </summary>
public sealed class TrustRegressionTests
{
    public static IEnumerable<object[]> Cases => Bodies.Keys.Where(k => !UsesRange(k)).Select(k => new object[] { k });

    /// <summary>The cases with Bpf.Range loops (in the program or its subprograms): open-coded iterators, Linux 6.4 and later.</summary>
    public static IEnumerable<object[]> RangeCases => Bodies.Keys.Where(UsesRange).Select(k => new object[] { k });

    private static bool UsesRange(string name) => (Bodies[name].Members + Bodies[name].Body).Contains("Bpf.Range");

    private static readonly Dictionary<string, (string Members, string Body)> Bodies = new()
    {
        // 1. Conditionals, switch expressions and && / || assigned to a declared local.
        ["conditional_assigned_to_local"] = ("", "long a = 5; a = v > 7 ? 1 : 2; am.Update(0, a); R0 = a;"),
        ["conditional_compound_assigned"] = ("", "long a = 5; a += v > 7 ? 1 : 0; R0 = a; a -= (w & 1) == 0 ? 3L : (long)x; R1 = a;"),
        ["switch_assigned_to_local"] = ("", "int b = 3; b = (int)v switch { 1 => 10, _ => 20 }; R0 = b; b = (int)(w & 3) switch { 0 => 1, 1 => x, _ => b }; R1 = b;"),
        ["logic_assigned_to_local"] = ("", "bool c = false; c = v > 3 && v < 0xffffffff; R0 = c ? 1 : 0; c = w == 0 || x < 0; R1 = c ? 1 : 0;"),
        ["conditional_assigned_to_parameter"] = ("static int F(int p, bool q) { p = q ? p * 2 : p - 1; return p; }", "R0 = F(x, v > 100);"),
        // 2. out arguments of the object's own methods.
        ["out_arguments"] = ("static void H(out byte a, byte x, out byte b) { a = x; b = (byte)(x + 1); }",
            "H(out byte o1, (byte)v, out byte o2); am.Update(0, o1); R0 = o1; R1 = o2;"),
        ["out_argument_declared_before"] = ("static bool H(int x, out int y) { y = x * 3; return x > 0; }",
            "int y; bool ok = H(x, out y); R0 = y; R1 = ok ? 1 : 0; H(y, out int z); R2 = z;"),
        ["out_struct_argument"] = ("public struct P { public byte A; public long B; } static void H(long x, out P p) { p.A = (byte)x; p.B = x + 1; }",
            "H((long)v, out P p); R0 = p.A; R1 = p.B;"),
        // 3. Packet reads at offsets the compiler cannot bound: a negative offset simply fails, as in .NET.
        ["read_at_remainder_offset"] = ("", "if (ctx.TryRead((int)v % 64, out uint r)) R0 = r; else R0 = -1;"),
        ["read_at_packet_offset"] = ("", "if (ctx.TryRead((int)w, out uint r)) R0 = r; else R0 = -1; if (ctx.TryRead(x, out byte b)) R1 = b;"),
        ["read_at_negative_offset"] = ("", "int off = (int)(w & 15) - 8; if (ctx.TryRead(off, out ushort r)) R0 = r; else R0 = -1;"),
        ["read_at_constant_negative_offset"] = ("", "if (ctx.TryRead(-63, out uint r)) R0 = r; else R0 = -1; ref byte b = ref ctx.GetRefOrNullRef<byte>(-7); R1 = Unsafe.IsNullRef(ref b) ? 1 : 0; " +
            "R2 = ctx.TryRead(65534, out uint far) ? far : 7;"),
        ["ref_at_packet_offset"] = ("", "ref ushort r = ref ctx.GetRefOrNullRef<ushort>((int)w % 80); if (!Unsafe.IsNullRef(ref r)) { R0 = r; r = 7; }"),
        // 5. Padding of a struct written field by field is zero, as .NET's locals are.
        ["padded_key_written_by_fields"] = ("public struct PadKey { public byte Protocol; public uint Address; }",
            "PadKey k; k.Protocol = 6; k.Address = w & 3; flows.Update(k, 1); PadKey j = k; flows.Update(j, 2);"),
        // 6. A ref into a hash map value reads the element it was taken from: an update of the key installs another.
        ["ref_after_update_of_its_key"] = ("",
            "uint k = w & 3; flows.Update(k, 1); ref long r = ref flows.GetValueRefOrNullRef(k); flows.Update(k, 2); if (!Unsafe.IsNullRef(ref r)) R0 = r; " +
            "flows.Update(k, 3); if (!Unsafe.IsNullRef(ref r)) { R1 = r; r += 10; } R2 = flows.TryGetValue(k, out long now) ? now : -1;"),
        // 11. A helper may return the ref GetValueRefOrNullRef gives (its key is scoped).
        ["map_ref_returned_by_helper"] = ("static ref long Find(uint k) => ref flows.GetValueRefOrNullRef(k);",
            "flows.TryAdd(w & 7, 5); ref long r = ref Find(w & 7); if (!Unsafe.IsNullRef(ref r)) { r += x; R0 = r; }"),
        // A ref-returning helper says "not found" with Unsafe.NullRef (issue #22, family 5): the caller's IsNullRef test covers it.
        ["ref_helper_returns_null_ref"] = ("static ref long Find(uint k) { if (k > 5) return ref Unsafe.NullRef<long>(); return ref am.GetValueRefOrNullRef(k); }",
            "ref long r = ref Find(w & 7); if (!Unsafe.IsNullRef(ref r)) { r += x; R0 = r; } else R0 = -1; R1 = Unsafe.IsNullRef(ref Find(9)) ? 1 : 0;"),
        ["ref_helper_returns_null_ref_or_hash_value"] = ("static ref long Find(uint k, bool none) { if (none) return ref Unsafe.NullRef<long>(); ref long r = ref flows.GetValueRefOrNullRef(k); " +
            "if (Unsafe.IsNullRef(ref r)) return ref Unsafe.NullRef<long>(); return ref r; }",
            "flows.TryAdd(w & 3, 9); for (uint i = 0; i < 4; i++) { ref long r = ref Find(i, (v & 1) == 0); if (Unsafe.IsNullRef(ref r)) R0 += 100; else { r += 1; R1 += r; } }"),
        ["ref_local_null_until_found"] = ("",
            "ref long r = ref Unsafe.NullRef<long>(); if ((w & 1) == 1) r = ref am.GetValueRefOrNullRef(w & 7); if (!Unsafe.IsNullRef(ref r)) { r = x; R0 = r; } else R0 = 5;"),
        // A ref-returning helper that never returns its stack argument may take one (only the returned ref matters).
        ["ref_return_with_stack_argument"] = ("static ref long Pick(ref long slot, ref int scratch) { scratch += 1; return ref slot; }",
            "int s = x; ref long r = ref am.GetValueRefOrNullRef(w & 7); if (!Unsafe.IsNullRef(ref r)) { ref long q = ref Pick(ref r, ref s); q += s; R0 = q; }"),
        // 7. Big structs: initialisers cost no temporary.
        ["big_struct_default"] = ("public struct Big300 { public Bytes300 B; } [InlineArray(300)] public struct Bytes300 { private byte _e; }",
            "Big300 b = default; b.B[7] = (byte)v; R0 = b.B[7] + b.B[8];"),
        // 7b. Sibling scopes share frame bytes (eight 56-byte structs and a 100-byte array fit in 512), and a struct written
        // field by field in a shared slot still has zero padding (the key's padding overlaps a sibling's long).
        ["sibling_scopes_share_stack"] = (SiblingMembers, "Bytes100 top = default; top[(int)(w % 100)] = (byte)x; " +
            string.Concat(Enumerable.Range(1, 8).Select(i =>
                $"{{ S56 s; s.A = (byte)(v >> {i}); s.B = (long)v * {i}; s.C = x; s.D = w; s.E = s.B ^ s.C; s.F = (long)v >> {i + 8}; s.G = -{i}; R0 += s.A + s.E + s.G + s.F; }} " +
                $"{{ PadKey k; k.Protocol = {i}; k.Address = w & 3; flows.Update(k, {i}); }} ")) +
            "R3 = top[(int)(v % 100)];"),
        ["sibling_scopes_in_loops"] = (SiblingMembers,
            "for (int i = 0; i < 3; i++) { S56 s; s.A = (byte)i; s.B = (long)v + i; s.C = x; s.D = w; s.E = ~s.B; s.F = i; s.G = s.B; R0 += s.E; } " +
            "int n = 0; do { PadKey k; k.Protocol = (byte)n; k.Address = w & 1; flows.Update(k, n); n++; } while (n < 2); " +
            "if (x > 0) { S56 a = default; a.B = x; R1 = a.B + a.C; } else { PadKey k = default; k.Address = w; flows.Update(k, 9); R1 = -1; }"),
        // 8. [InlineArray] indexes with a proven range.
        ["inline_array_masked_index"] = ("[InlineArray(32)] public struct Buf { private byte _e; }",
            "Buf buf = default; int k = x; buf[k & 31] = 1; buf[(int)(w % 32)] += 2; R0 = buf[(int)(v & 31)] + buf[3];"),
        ["inline_array_loop_index"] = ("[InlineArray(8)] public struct Buf { private long _e; }",
            "Buf buf = default; for (int i = 0; i < 8; i++) buf[i] = (long)v >> i; long sum = 0; for (int i = 0; i < 8; i++) sum += buf[i]; R0 = sum;"),
        // Found by the fuzzer: compound assignments on narrow types compute in int and narrow back.
        ["signed_narrow_shifts"] = ("", "sbyte v4 = (sbyte)w; sbyte v2 = (sbyte)x; R0 = (int)v4 >> (int)v2; R1 = v4 >> v2; R2 = (long)v4 << (int)v2;"),
        ["signed_narrow_compound_add"] = ("", "sbyte v4 = (sbyte)w; sbyte v2 = (sbyte)x; v4 += (sbyte)(((sbyte)(-63)) + v2); R0 = v4;"),
        ["narrow_compound_shifts"] = ("", "sbyte v0 = (sbyte)v; v0 <<= (int)((int)v0); R0 = v0; short s = (short)w; s >>= x; R1 = s; byte b = (byte)x; b <<= (int)w; R2 = b;"),
        ["narrow_compound_subtract_of_shifts"] = ("", "byte v8 = (byte)x; v8 -= (byte)((byte)((byte)v >> 39) << (int)((int)((int)w << (int)(7)))); R0 = v8; R1 = (byte)v >> 39; R2 = (short)((short)x * (short)v8);"),
        // Found by the 10,000-program run: a switch expression passed by `in` (a map update's value) with an arm that
        // is a local living in memory (its address was taken) passed a mix of pointer and value.
        ["switch_with_memory_local_arm_passed_by_in"] = ("static long Keep(in long a) => a;",
            "long a6 = -65536L; R1 = Keep(in a6); am.Update(w & 7, (w & 0x1f) switch { 16u => -3L, 0u => a6, _ => (long)x }); " +
            "am.Update(0, v > 9 ? a6 : (long)w); R0 = Keep(x > 0 ? a6 : 5L);"),
        // 10. A Comm compares with a name written in the program and with a Comm global set before load (zeroes here).
        ["comm_compared_with_literal_and_global"] = ("static readonly Comm Target = default;",
            "Comm c = default; for (int i = 0; i < 8; i++) c[i] = (byte)(v >> (8 * i)); " +
            "if ((w & 1) == 0) { c[0] = (byte)'c'; c[1] = (byte)'a'; c[2] = (byte)'t'; c[3] = 0; } " +
            "R0 = c.Is(\"cat\"u8) ? 1 : 0; R1 = c == Target ? 1 : 0; Comm d = c; d[7] = (byte)x; R2 = c != d ? 1 : 0; " +
            "if ((w & 2) == 0) c = default; R3 = c == Target ? 1 : c.Is(\"\"u8) ? 2 : c.Equals(d) ? 3 : 4;"),
        // Deliver 2: a null test in the callee, and a subprogram that moves the packet with no packet ref live, are fine.
        ["null_tested_in_callee"] = ("static long Get(ref long r) => Unsafe.IsNullRef(ref r) ? -1 : r + 1; " +
            "static ref long Find(uint k) { ref long r = ref flows.GetValueRefOrNullRef(k); if (Unsafe.IsNullRef(ref r)) return ref am.GetValueRefOrNullRef(0); return ref r; }",
            "flows.TryAdd(w & 7, 5); ref long r = ref flows.GetValueRefOrNullRef(w & 3); R0 = Get(ref r); ref long f = ref Find(w & 7); if (!Unsafe.IsNullRef(ref f)) { f += x; R1 = f; }"),
        ["packet_moved_by_callee_then_ref_taken_again"] = ("static bool Trim(XdpContext c) => c.AdjustTail(-2); static void Mark(ref ushort p, ushort v) { p = v; }",
            "ref ushort p = ref ctx.GetRefOrNullRef<ushort>(34); if (Unsafe.IsNullRef(ref p)) return XdpAction.Pass; Mark(ref p, (ushort)w); R0 = p; " +
            "if (!Trim(ctx)) return XdpAction.Pass; ref ushort q = ref ctx.GetRefOrNullRef<ushort>(34); if (!Unsafe.IsNullRef(ref q)) R1 = q;"),
        // 9. A [BpfGlobalFunction] is verified once, from its prototype: small arguments and results are narrowed on both sides.
        ["global_function_in_a_loop"] = ("public struct Acc { public long Sum; public byte Steps; } " +
            "[BpfGlobalFunction] static short Mix(byte b, ref Acc acc, in Acc seed, XdpContext c) { for (int i = 0; i < 8; i++) { if (((b >> i) & 1) != 0) acc.Sum += seed.Sum ^ i; else acc.Sum -= i; } acc.Steps++; " +
            "return (short)(acc.Sum + c.Length); } [BpfGlobalFunction] static void Touch(ref long r) { r += 3; } " +
            "[BpfGlobalFunction] static uint Twice(uint a) => a * 2;",
            "Acc acc = default; Acc seed = default; seed.Sum = x; long last = 0; for (int j = 0; j < 6; j++) { if ((w >> j & 1) != 0) last += Mix((byte)(v >> (8 * j)), ref acc, in seed, ctx); } " +
            "R0 = acc.Sum; R1 = acc.Steps; R2 = last; ref long r = ref am.GetValueRefOrNullRef(w & 7); if (!Unsafe.IsNullRef(ref r)) Touch(ref r); " +
            "uint z = 0; R3 = Twice(z); for (uint i = 0; i < 4; i++) R3 += Twice(i);"),
        // 9. "invalid size of register spill": the kernel refuses a pointer spilled with a store narrower than 8 bytes. More
        // refs and narrow values live across helper calls than r6–r9 hold, so pointers and bytes share the spill slots.
        ["pointers_and_narrow_values_spilled_across_calls"] = ("",
            "ref long a0 = ref am.GetValueRefOrNullRef(0); ref long a1 = ref am.GetValueRefOrNullRef(1); ref long a2 = ref am.GetValueRefOrNullRef(2); " +
            "ref long a3 = ref am.GetValueRefOrNullRef(3); ref long a4 = ref am.GetValueRefOrNullRef(4); ref long a5 = ref am.GetValueRefOrNullRef(5); " +
            "byte b = (byte)x; short s = (short)w; sbyte t = (sbyte)v; flows.Update(w & 3, b); flows.Update(w & 5, s); flows.Update(w & 6, t); " +
            "if (Unsafe.IsNullRef(ref a0) || Unsafe.IsNullRef(ref a1) || Unsafe.IsNullRef(ref a2) || Unsafe.IsNullRef(ref a3) || Unsafe.IsNullRef(ref a4) || Unsafe.IsNullRef(ref a5)) return XdpAction.Pass; " +
            "a0 += b; a1 += s; a2 += t; flows.Update(7, a0); a3 = a0 + a1; a4 = a2 - a3; a5 = b * s + t; flows.Update(6, a5); R0 = a0 + a5; R1 = b + s + t;"),
        // Found by the fuzzer (seed 12): `x = x;` in code a constant switch never reaches was, once dead code dropped x's first
        // write, a copy of itself; copy propagation followed it for ever (the analyzer, and so the IDE, hung).
        ["self_assignment_in_unreachable_code"] = ("",
            "ulong y = (ulong)v; switch ((int)((-255) & 7)) { case 5: { if ((sbyte)x != 1) { } else { y = y; } ref long r = ref flows.GetValueRefOrNullRef((uint)y & 15); } break; } " +
            "R0 = (long)(w & 1);"),
        // Found by the newcomer trial: a null test of a ref also covers the refs copied from it (the verifier gives copies one id).
        ["null_test_covers_ref_copies"] = ("static ref long Find(uint k) => ref flows.GetValueRefOrNullRef(k);",
            "flows.TryAdd(w & 3, x); ref long a = ref flows.GetValueRefOrNullRef(w & 7); ref long b = ref a; if (Unsafe.IsNullRef(ref a)) R0 = -1; else R0 = b; " +
            "ref long c = ref Find(w & 1); ref long d = ref c; if (!Unsafe.IsNullRef(ref c)) { d += 2; R1 = d; }"),
        // 9. A loop that branches on data costs the verifier every iteration times every path when written with for (5,000
        // iterations exhaust its million instructions); foreach over Bpf.Range is an open-coded iterator it checks once.
        ["range_loop_branching_on_data"] = ("", "long s = 0; foreach (int i in Bpf.Range(0, 50000)) { if ((long)(v & 0xffff) > i) s++; else s += 2; } R0 = s;"),
        ["range_loop_break_continue_return"] = ("",
            "foreach (int i in Bpf.Range((int)(w & 7), 20)) { if (i == x) break; if ((i & 1) == 0) continue; if (i * 3 == (int)(v & 63)) return XdpAction.Drop; R0 += i; } R1 = 1;"),
        ["range_loop_nested_with_index"] = ("[InlineArray(8)] public struct Buf { private long _e; }",
            "Buf buf = default; foreach (int i in Bpf.Range(0, 8)) { buf[i] = (long)(v >> i); foreach (int j in Bpf.Range(i, 8)) { if (((w >> j) & 1) != 0) buf[i] += j; } } " +
            "R0 = buf[0] + buf[7]; R1 = buf[(int)(w & 7)];"),
        // A value from the packet stepped and tested in an iterator loop is a range the verifier widens: it converges.
        ["range_loop_steps_a_packet_value"] = ("", "long c = x; foreach (int i in Bpf.Range(0, 100)) { c--; if (c == 5) R1 = i; } R0 = c;"),
        // Variables the iterator's body changes are kept where the verifier does not track them while it runs, so their states
        // repeat and the loop converges, however they are tested in or after it (the verifier refused every one of these before).
        ["range_loop_counts_then_tests"] = ("", "long c = 0; foreach (int i in Bpf.Range(0, 100)) { if (((w >> (i & 31)) & 1) != 0) c += 3; } if (c > 5) R1 = 1; R0 = c;"),
        ["range_loop_steps_and_tests_inside"] = ("", "long c = 0; foreach (int i in Bpf.Range(0, 10)) { c++; if (c == 5) R1 = i; } R0 = c;"),
        ["range_loop_cursor_as_index"] = ("[InlineArray(16)] public struct Buf { private byte _e; }",
            "Buf b = default; int k = 0; foreach (int i in Bpf.Range(0, 10)) { b[k & 15] = 1; if ((x >> (i & 31) & 1) != 0) k++; } b[k & 7] += 2; R0 = k + b[3] + b[1];"),
        ["range_loop_bound_from_switch_then_switched_on"] = ("",
            "uint c = (byte)w; foreach (int i in Bpf.Range((int)(((w & 0x1f) switch { 0u => -1000, _ => x }) & 7), 427)) { if ((sbyte)x > 1) R2++; else --c; } " +
            "R0 = ((int)c & 0x1f) switch { 16 => 1, 0 => 2, _ => 3 }; R1 = (long)(65536u * c);"),
        ["range_loop_nested_carrying"] = ("", "long s = 0; int n = 0; foreach (int i in Bpf.Range(0, 20)) { foreach (int j in Bpf.Range(i, 20)) { if (((w >> (j & 31)) & 1) != 0) { s += j; n++; } } if (n > 40) break; } R0 = s; R1 = n;"),
        // Found by the fuzzer: one loop's way out leads straight into the next loop carrying the same variable.
        ["range_loops_in_sequence_carrying_the_same_variable"] = ("",
            "sbyte v2 = (sbyte)x; switch ((int)(v & 7)) { case 6: break; default: foreach (int i in Bpf.Range(0, 959)) { v2 = (sbyte)(v2 + 1 < 100 ? (int)(w << x) : 3); } break; } " +
            "foreach (int j in Bpf.Range(2, (int)(w & 1023))) { if (ctx.TryRead(44, out uint k)) v2 = (sbyte)(k ^ (uint)v2); } R0 = v2;"),
        // A struct of the enclosing code whose field the body steps (and hands to a subprogram), a variable first assigned in
        // the loop, an array written at a cursor, and a variable written through `out`.
        ["range_loop_carries_structs_and_late_assignments"] = ("public struct Pair { public sbyte A; public long B; public short C; } [InlineArray(8)] public struct Buf { private long _e; } " +
            "static short F(byte b, in Pair p) => (short)(p.C < b ? b : p.A); static void Twice(ref long x) { x *= 2; }",
            "Pair s = default; s.C = (short)v; Buf buf = default; int last; long t = 1; " +
            "foreach (int i in Bpf.Range(-3, (int)(w & 255))) { --s.A; last = i; buf[s.A & 7] += i; Pair q = default; q.C = (short)(ushort)s.A; R1 += F(32, in q); if (i == 5) Twice(ref t); if (ctx.TryRead(40, out ushort got)) s.B += got; } " +
            "R0 = s.A + s.B + s.C + buf[3] + t; int k; foreach (int i in Bpf.Range(0, 4)) { k = i * 3; R2 += k; }"),
        // Found by the fuzzer: a variable the loop assigns before reading, in a loop that may not run at all, keeps its value.
        ["range_loop_that_may_not_run_keeps_what_it_assigns"] = ("public struct Pair { public sbyte A; public long B; public short C; }",
            "ushort v1 = (ushort)v; foreach (int i in Bpf.Range((int)(~w & 7), (int)(x & 15))) { v1 = (v & 0xff) < 128 ? (ushort)32767 : (ushort)w; } R0 = v1; " +
            "int k; foreach (int i in Bpf.Range(0, (int)(w & 3))) { k = i; R1 += k; } Pair p; p.A = 1; p.B = 0; foreach (int i in Bpf.Range(0, 3)) { p.B = i; } p.C = 2; R2 = p.A + p.B + p.C;"),
        // Found by the fuzzer: an out parameter the iterator's body steps points at the caller's stack, which the verifier tracks.
        ["range_loop_steps_an_out_parameter"] = ("[InlineArray(16)] public struct Bytes16 { private byte _e; } " +
            "static long F(in byte p0, out ulong p1, ref uint p2) { p1 = p0; foreach (int i in Bpf.Range((int)(p2 & 7), 300)) { Bytes16 b = default; b[(int)(p1 & 15)] = (byte)i; if ((byte)p2 > (byte)p1) p2++; ++p1; } return (long)p1; }",
            "byte a = (byte)w; uint c = (uint)x & 0xff; R0 = F(in a, out ulong o, ref c); R1 = (long)o; R2 = c;"),
        // Found by the fuzzer: a variable that was a map key (scoped, so no lasting ref) is still carried; one a ref local
        // aliases is not (writes through the ref must reach it).
        ["range_loop_carries_a_former_key_not_an_aliased_variable"] = ("",
            "ushort c = (ushort)w; ref long r = ref am.GetValueRefOrNullRef((uint)(c & 7)); if (!Unsafe.IsNullRef(ref r)) r += 1; " +
            "foreach (int i in Bpf.Range(0, 500)) { if (((x >> (i & 31)) & 1) != 0) ++c; } if (ctx.TryRead((int)(c & 127), out ulong k)) R0 = (long)k; " +
            "long t = 0; ref long rt = ref t; foreach (int i in Bpf.Range(0, 20)) { t++; rt += 2; } R1 = t; R2 = c;"),
        // Found by the fuzzer: a struct a ref-returning call saw by ref, in a block that ended before the loop, is carried.
        ["range_loop_carries_a_struct_an_earlier_ref_saw"] = ("public struct Pair { public sbyte A; public long B; public short C; } " +
            "static ref long Pick(ref long p0, ref Pair p1) { p1.C += 1; return ref p0; }",
            "Pair s = default; s.C = (short)(v >> 1); ref long r = ref am.GetValueRefOrNullRef(w & 7); if (!Unsafe.IsNullRef(ref r)) { ref long q = ref Pick(ref r, ref s); q ^= x; } " +
            "foreach (int i in Bpf.Range((int)((s.A + x) & 7), 607)) { if ((v & 7) == 0) { ++s.A; if (ctx.TryRead((int)((uint)(x - s.A) & 127), out uint k)) R0 ^= k; } } R1 = s.A + s.C;"),
        // Found by the fuzzer: two ref parameters of one type are carried when no call hands them the same variable.
        ["range_loop_steps_ref_parameters_of_one_type"] = ("static long F(ref ulong p0, int p1, ref ulong p3) { foreach (int i in Bpf.Range(-2, (int)(p3 & 1023))) { " +
            "switch (p1 & 7) { case 5: p0 = (uint)p3 <= 63u ? ~p3 : 63UL; break; case 3: p0 -= 127; ++p3; break; default: p0 ^= (ulong)i; break; } } return (long)p0; }",
            "ulong a = v, b = w & 255; R0 = F(ref a, x, ref b); ulong c = (ulong)x, d = 70; R1 = F(ref c, 3, ref d); R2 = (long)(a + b + c + d);"),
        // A return from inside iterator loops gives ref parameters' values back to the caller (from the innermost loop).
        ["range_loop_returns_with_ref_parameters"] = ("static int F(ref long a, ref int n) { foreach (int i in Bpf.Range(0, 50)) { a += i; foreach (int j in Bpf.Range(0, 4)) { n++; if (n > 60) return 1; } if (a > 400) return 2; } return 0; }",
            "long a = (long)(w & 63); int n = x & 15; R0 = F(ref a, ref n); R1 = a; R2 = n;"),
        ["range_loop_bounds"] = ("",
            "foreach (int i in Bpf.Range(5, 2)) R0 += 1; foreach (int i in Bpf.Range(0, 0)) R0 += 10; foreach (int i in Bpf.Range(int.MinValue, int.MaxValue)) R0 += 100; " +
            "int n = (int)(w & 15); foreach (int i in Bpf.Range(x & 3, n)) { R1 += i; n--; } foreach (int i in Bpf.Range(-3, 2)) R2 = R2 * 3 + i;"),
        // Trust 3, family 1: division and remainder by every constant on cpu v3 (no sdiv/smod), with C#'s truncation toward
        // zero and the dividend's sign on the remainder. m and n are MinValue on some frames (never divided by -1: .NET throws).
        ["divide_int_by_min_and_negative_constants"] = ("", "int n = (w & 2) == 0 ? int.MinValue : x; R0 = n % int.MinValue; R1 = n / int.MinValue; R2 = n / -7 + (x % -7) * 1000; R3 = n % (-65536) - x / (-1000000007);"),
        ["divide_long_by_64_bit_constants"] = ("", "long m = (w & 1) == 0 ? long.MinValue : (long)v; R0 = m / (-2844915051889675909L); R1 = m % (-2844915051889675909L); R2 = m / long.MinValue + (long)v % long.MinValue; R3 = m % long.MaxValue ^ m / 0x100000000L;"),
        ["divide_long_by_32_bit_edges"] = ("", "long m = (w & 1) == 0 ? long.MinValue : (long)v; R0 = m / int.MinValue; R1 = m % int.MinValue; R2 = m / 0x80000000L ^ (long)x / (-3L); R3 = m % 4294967295L + (long)x % (-0x80000000L);"),
        ["divide_narrow_types"] = ("", "sbyte s = (sbyte)v; short h = (short)w; byte b = (byte)x; ushort u = (ushort)(v >> 16); R0 = s / (sbyte)(-128) + s % (sbyte)(-3) * 100; R1 = h % (short)(-32768) ^ h / (short)(-255); " +
            "R2 = (sbyte)(s / (sbyte)(-2)) + b / (byte)255 + b % (byte)128; R3 = u / (ushort)0xffff + u % (ushort)0x8000 + (short)(h / 32767);"),
        ["divide_unsigned_by_high_constants"] = ("", "R0 = (long)(v / 0x8000000000000000UL); R1 = (long)(v % 0xfffffffffffffffUL) ^ (long)(v / 10000000000UL); R2 = w / 0x80000000u + w % 0xffffffffu; R3 = (long)(v % 0xffffffffUL);"),
        // Unsigned division and remainder by powers of two become shifts and masks (session 12); signed ones stay exact.
        ["divide_unsigned_by_powers_of_two"] = ("[InlineArray(8)] public struct Slots8 { private long _e; }",
            "Slots8 s = default; s[(int)(w % 8u)] = 5; s[(int)((uint)x % 8u)] += 1; R0 = s[(int)(v % 8UL)] + s[3]; R1 = (long)(v / 4096UL) ^ (long)(w / 2u); " +
            "R2 = (long)(v % 0x10000000000UL) + (w % 0x80000000u); R3 = (x / 16) + (x % 16) * 100 + (long)v % 8L;"),
        // Signed division and remainder by constants without a branch: every sign of dividend and divisor, both widths.
        ["divide_signed_without_branches"] = ("",
            "int n = x; long m = (long)v; R0 = n / 7 + n % 7 * 1000 + n / -7 * 1000000L + n % -7 * 1000000000L; R1 = m / 3 ^ m % 3 ^ m / -3 ^ m % -1000; " +
            "R2 = (n | int.MinValue) / 2 + (n | int.MinValue) % 2 + (m | long.MinValue) / 1000 + (m | long.MinValue) % -9; R3 = (short)n / (short)-5 + (sbyte)m % (sbyte)7;"),
        // A data break leaves a for loop with the value the body counted to, and walked loops follow: the counted variables
        // ride in the loop state, so each way out does not walk the rest again (issue #22, family 2).
        ["break_leaves_counted_value_before_more_loops"] = ("",
            "long k = 0; int last = 0; for (int i = 0; i < 33; i++) { k++; last = i; if (((v >> i) & 1) == 1 && x > i) break; } long t = 0; " +
            "for (int j = 0; j < 34; j++) { if (((w >> (j & 31)) & 1) == 1) t += j; if (t > 100 + x) break; } for (int j = 0; j < 18; j++) t ^= (long)j * k; R0 = k; R1 = last; R2 = t;"),
        // A ref parameter given a map element, which the loop also reaches by a lookup: it stays in the map (not the loop
        // state), or the element's updates through the lookup would be overwritten when the loop ends (seed 20261213, P4010).
        ["ref_parameter_given_map_element_reached_in_loop"] = ("static void Bump(ref long p, uint k) { for (int i = 0; i < 20; i++) { if (((k >> i) & 1) == 1) p += i; " +
            "ref long e = ref am.GetValueRefOrNullRef(k & 7); if (!Unsafe.IsNullRef(ref e)) e += 100; } }",
            "ref long r = ref am.GetValueRefOrNullRef(w & 7); if (!Unsafe.IsNullRef(ref r)) Bump(ref r, w); R0 = am.TryGetValue(w & 7, out long now) ? now : -1;"),
        ["ref_returning_method_given_map_element_reached_in_loop"] = ("static ref long Bump(ref long p, uint k) { for (int i = 0; i < 20; i++) { p = ((k >> i) & 1) == 1 ? p + i : p - 1; " +
            "if (am.TryGetValue(k & 7, out long seen)) R1 += seen; ref long e = ref am.GetValueRefOrNullRef(k & 7); if (!Unsafe.IsNullRef(ref e)) System.Threading.Interlocked.Add(ref e, 3); } return ref p; }",
            "ref long r = ref am.GetValueRefOrNullRef(w & 7); if (!Unsafe.IsNullRef(ref r)) { ref long q = ref Bump(ref r, w); q += 1; } R0 = am.TryGetValue(w & 7, out long now) ? now : -1;"),
        // A value chosen by a test on data inside the assignment forks like an if around it.
        ["conditional_in_value_written_in_long_loop"] = ("",
            "long s = 0; for (int i = 0; i < 40; i++) { s += ((v >> i) & 1) == 1 ? 1 : 2; s += (w & (1u << (i & 31))) switch { 0 => 3, _ => 5 }; } R0 = s; " +
            "if (ctx.TryRead((int)(s & 63), out byte b)) R1 = b;"),
        ["divide_compound_assignments"] = ("", "long a = (long)v; a /= -3L; a %= 1000000007L; int b = x; b /= int.MinValue + 1; b %= -100; ulong c = v; c /= 10000000000UL; short h = (short)w; h /= -7; h %= (short)-300; " +
            "R0 = a; R1 = b; R2 = (long)c + h; R3 = (long)x / -1L;"),
        // Trust 3, family 5: ranges flow as the verifier's range tracking carries them (public reports, loaded as clang -O2 output).
        ["index_checked_on_entry_used_after_map_calls"] = ("[InlineArray(16)] public struct Buf { private byte _e; }",
            "uint idx = w & 31; if (idx >= 16) return XdpAction.Pass; Buf b = default; flows.Update(1, 2); am.Update(0, 3); b[(int)idx] = 5; R0 = b[(int)idx] + b[3];"),
        ["slot_clamped_in_helper"] = ("[InlineArray(8)] public struct Slots { private long _e; } const uint Max = 8; static uint Slot(ulong v) { return v < Max ? (uint)v : Max - 1; } " +
            "static int Bucket(int x) => x >= 0 && x < 8 ? x : 0;",
            "Slots h = default; h[(int)Slot(v & 0xff)]++; h[(int)Slot(w)] += 2; h[Bucket(x)] += 4; R0 = h[7]; R1 = h[(int)(w & 7)]; R2 = h[0] + h[1] + h[2] + h[3];"),
        ["slot_guarded_by_if"] = ("[InlineArray(8)] public struct Slots { private long _e; }",
            "Slots h = default; ulong slot = v >> 60; if (slot < 8) h[(int)slot]++; if (8 > w) h[(int)w] += 3; if (x >= 0 && x < 8) h[x] += 5; R0 = h[(int)(slot & 7)]; R1 = h[0] + h[1] + h[2] + h[3] + h[4] + h[5] + h[6] + h[7];"),
        ["mask_stored_in_local"] = ("[InlineArray(8)] public struct Slots { private long _e; }",
            "Slots h = default; int k = x & 7; h[k] = 3; uint j = w % 8; if ((v & 1) == 0) j = 2; h[(int)j] += 4; R0 = h[k]; R1 = h[(int)j];"),
        ["index_after_exit_tests"] = ("[InlineArray(8)] public struct Slots { private long _e; }",
            "Slots h = default; int s = (int)(v >> 32); if (s < 0 || s > 7) { R2 = -1; return XdpAction.Pass; } h[s] = 11; flows.Update(2, 3); R0 = h[s]; int t = x < 8 && x >= 0 ? x : 7; h[t] += 1; R1 = h[t];"),
        // 12. No cpu v4 instructions: signed narrow values are widened without movsx.
        ["sign_extension"] = ("", "sbyte a = (sbyte)v; short b = (short)w; R0 = a; R1 = b; R2 = (long)(int)(uint)v;"),
        ["range_loop_carried_index"] = ("[InlineArray(8)] public struct Slots { private long _e; }", "Slots h = default; int k = 0; foreach (int i in Bpf.Range(0, 10)) { if (((v >> i) & 1) != 0) k = i & 7; } h[k] = 5; R0 = h[k];"),
        ["range_loop_carried_packet_offset"] = ("", "int k = 0; foreach (int i in Bpf.Range(0, 10)) { if (((v >> i) & 1) != 0) k = i & 7; } if (ctx.TryRead(k, out byte b)) R0 = b; else R0 = -1;"),
        ["for_loop_counter_stepped_on_a_branch"] = ("", "int k = 0; for (int i = 0; i < 40; i++) { if (((v >> i) & 1) != 0) k++; } if (ctx.TryRead(k, out byte b)) R0 = b; else R0 = -1;"),
        // 13. Issue #22 family 2: a for loop the verifier walks, whose body changes a variable of the enclosing code under a
        // test on data, forked the verifier's states every iteration when the variable held exact values that a later use
        // needed exactly ("BPF program is too large" after a clean build); such variables now live in the loop state while
        // the loop runs (Frontend/CarriedLoops), and a packet offset or index built from them is tested where it is used.
        ["for_loop_two_counters_on_branches"] = ("[InlineArray(16)] public struct Bytes16 { private byte _e; }",
            "int a = 0, b = 0; for (int i = 0; i < 48; i++) { if (((v >> (i & 63)) & 1) != 0) a++; else if (((w >> (i & 31)) & 1) != 0) b += 2; } " +
            "Bytes16 t = default; t[b & 15] = 7; R0 = t[b & 15]; if (ctx.TryRead(a, out byte p)) R1 = p; else R1 = -1; R2 = a * 1000 + b;"),
        ["for_loop_switch_steps"] = ("", "int k = 0; for (int i = 0; i < 32; i++) { switch ((int)((v >> (i & 63)) & 3)) { case 0: k++; break; case 1: k += 3; break; case 2: k = k > 4 ? k - 4 : 0; break; } } " +
            "if (ctx.TryRead(k, out ushort p)) R0 = p; else R0 = -1; R1 = k;"),
        ["for_loop_fnv_fold_and_map_updates"] = ("", "ulong h = 14695981039346656037UL; int k = 0; for (int i = 0; i < 64; i++) { if (((v >> i) & 1) != 0) { h = (h ^ (ulong)(byte)(w >> (i & 31))) * 1099511628211UL; am.Update((uint)(i & 7), (long)h); } else k++; } " +
            "R0 = (long)h; R1 = k; if (ctx.TryRead(k, out byte p)) R2 = p; else R2 = -1;"),
        ["nested_for_loops_counter_on_a_branch"] = ("", "int k = 0; for (int i = 0; i < 8; i++) { for (int j = 0; j < 8; j++) { if (((v >> (i * 8 + j)) & 1) != 0) k++; } } if (ctx.TryRead(k, out byte p)) R0 = p; else R0 = -1; R1 = k;"),
        ["for_loop_in_a_subprogram_through_a_ref"] = ("static void Count(ulong bits, ref int k) { for (int i = 0; i < 40; i++) { if (((bits >> i) & 1) != 0) k++; } }",
            "int k = 0; Count(v, ref k); if (ctx.TryRead(k, out byte p)) R0 = p; else R0 = -1; R1 = k;"),
        ["for_loop_break_after_a_branch_step"] = ("", "int k = 0; for (int i = 0; i < 40; i++) { if (((v >> i) & 1) != 0) k++; if (k > 20) break; } if (ctx.TryRead(k, out byte p)) R0 = p; else R0 = -1; R1 = k;"),
        ["for_loop_carried_index"] = ("[InlineArray(8)] public struct Slots { private long _e; }", "Slots h = default; int k = 0; for (int i = 0; i < 10; i++) { if (((v >> i) & 1) != 0) k = i & 7; } h[k] = 5; R0 = h[k];"),
    };

    private const string SiblingMembers = "public struct PadKey { public byte Protocol; public uint Address; } public struct S56 { public byte A; public long B, C, D, E, F, G; } " +
        "[InlineArray(100)] public struct Bytes100 { private byte _e; }";

    /// <summary>Found by the fuzzer (seed 13): ref-returning methods whose Bpf.Range loop changes, through a ref parameter, a
    /// struct on the caller's stack that a test after the loop needs exactly. The struct stayed out of the loop state (the
    /// returned ref might have pointed into it; and the map element another ref parameter got counted as a possible alias),
    /// so every iteration held another exact value and the verifier gave up after 8,192 pending branches. Now the loop
    /// carries it unless the method returns from inside the loop. The generated programs as they were (P2395 reduced).</summary>
    [KernelTheory(Feature = "open-coded iterators (bpf_iter_num_*)", Since = "6.4")]
    [InlineData("seed13-P2395")]
    [InlineData("seed13-P7500")]
    [InlineData("seed20261210-P231")] // a for loop's packet reads (below) beside a Bpf.Range loop
    [InlineData("seed20261212-P4328")]
    public void Fuzzer_programs_once_refused_by_the_verifier_now_load_and_agree(string name) => Fixture_agrees(name);

    /// <summary>Found by the fuzzer once its for loops were long (40 iterations) and branchy: a loop whose body calls a
    /// subprogram of many branches, after optional packet writes that left the packet pointer knowing different ranges on
    /// different paths (P289), and a switch in a 35-iteration loop reading the packet at the counter (P231). The verifier
    /// walked every such state through every iteration (over a million instructions); with data and data_end loaded afresh
    /// at each packet access in a method with loops, 265,486 and 348,670. The generated programs as the reducer left them
    /// (P231, which also has a Bpf.Range loop, runs with the range-using fixtures above).
    /// Session 12's 10,000 programs (seed 20261212) found 17 more, each a long walk: P763 leaves a 33-iteration loop on a
    /// test on data with the counter copied into a variable, then walks loops of 34 and 18 once for each way out (the
    /// variables the body counts in now ride in the loop state when a break on data leaves and loops or calls follow);
    /// P1939 (now refused at build, below) forked on the sign of every signed division (now branch-free) and
    /// tested `(uint)x % 8` for the verifier (now a mask it tracks); P3262 and P4328 write values chosen by tests on data inside the assignment (`s += c ? 1 : 2`, now
    /// carried like writes under an if). As generated.</summary>
    [KernelTheory]
    [InlineData("seed20261208-P289")]
    [InlineData("seed20261212-P763")]
    [InlineData("seed20261212-P3262")]
    public void Fuzzer_programs_once_too_large_for_the_verifier_now_load_and_agree(string name) => Fixture_agrees(name);

    /// <summary>Found by the fuzzer (seeds 20261214 and 20261216): clean builds the verifier gave up on after 1,000,000
    /// instructions, each a walked loop whose iterations call methods that walk loops of their own (P2901: 39 iterations,
    /// each calling a method with a loop of 33, after code whose tests left some 20 different states; P5265: loops of 33
    /// and 34 calling a method with loops of 21, 36 and 21, whose loop of 36 calls another). The estimate of the
    /// instructions on their paths (BPF0038) now refuses them at build, at the loop or call that carries most of it.</summary>
    [Theory]
    [InlineData("seed20261216-P2901")]
    [InlineData("seed20261216-P5265")]
    [InlineData("seed20261214-P959")]
    [InlineData("seed20261214-P6242")]
    [InlineData("seed20261212-P1939")] // loaded after session 12's fixes, but only just: 837,600 instructions of the 1,000,000 on Linux 6.18
    public void Fuzzer_programs_too_large_for_the_verifier_are_refused_at_build(string name)
    {
        string source = System.IO.File.ReadAllText(System.IO.Path.Combine(CSharpBpf.Testing.RepositoryPaths.Root, "tests", "fixtures", "fuzz", name + ".cs.txt"));
        var error = Assert.Single(GeneratorHarness.Diagnostics(source), d => d.Id == "BPF0038");
        Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, error.Severity);
        Assert.Matches(@"^(for|F\d\()", GeneratorHarness.TextAt(error, source));
    }

    /// <summary>Found by the fuzzer (seed 20261213): a ref-returning method's for loop carried, in the loop state, what its
    /// ref parameter pointed at — a map element its callers passed, which the loop also updated through a lookup — so the
    /// element's value when the loop ended was the carried copy, not what the lookups had added (the kernel and .NET
    /// disagreed). A ref parameter rides in the loop state only when every caller passes a variable of its own stack.</summary>
    [KernelTheory]
    [InlineData("seed20261213-P4010")]
    public void Fuzzer_programs_that_once_disagreed_with_dotnet_now_agree(string name) => Fixture_agrees(name);

    /// <summary>A program the verifier accepts after a long walk writes a level-1 log of several MiB on Linux 6.18 (its stack
    /// liveness lines); the kernel fails such a load with ENOSPC when the log outgrows the buffer, so a caller asking for
    /// the log (for "processed N insns") got an exception for an accepted program. The buffer now grows as libbpf's does.</summary>
    [KernelFact(Feature = "open-coded iterators (bpf_iter_num_*)", Since = "6.4")]
    public void A_program_whose_verifier_log_is_long_loads_with_its_log()
    {
        string source = System.IO.File.ReadAllText(System.IO.Path.Combine(CSharpBpf.Testing.RepositoryPaths.Root, "tests", "fixtures", "fuzz", "seed20261212-P4328.cs.txt"));
        using var loaded = CSharpBpf.Loading.BpfObjectFile.Open(GeneratorHarness.ObjectFile(source), "P4328").Load(captureVerifierLog: true);
        Assert.Matches(@"processed \d+ insns", loaded.Programs["Run"].VerifierLog);
    }

    /// <summary>A generated program of tests/fixtures/fuzz (SEED-PNAME.cs.txt), run in the kernel, .NET and the VM.</summary>
    private static void Fixture_agrees(string name)
    {
        string source = System.IO.File.ReadAllText(System.IO.Path.Combine(CSharpBpf.Testing.RepositoryPaths.Root, "tests", "fixtures", "fuzz", name + ".cs.txt"));
        var result = DifferentialRunner.Run(new[] { new FuzzProgram(name.Split('-')[1], source, true) }, FuzzCampaign.Frames(16))[0];
        Assert.True(result.Outcome == FuzzOutcome.Agreed, $"{result.Outcome}: {result.Detail}");
    }

    [KernelTheory(Feature = "open-coded iterators (bpf_iter_num_*)", Since = "6.4")]
    [MemberData(nameof(RangeCases))]
    public void Kernel_dotnet_and_vm_agree_on_range_loops(string name) => Kernel_dotnet_and_vm_agree(name);

    [KernelTheory]
    [MemberData(nameof(Cases))]
    public void Kernel_dotnet_and_vm_agree(string name)
    {
        var (members, body) = Bodies[name];
        bool maps = body.Contains("am.") || body.Contains("flows.");
        var program = new FuzzProgram(name, $$"""
            using System.Runtime.CompilerServices;
            using CSharpBpf;

            [BpfObject]
            public static partial class {{name}}
            {
                public static long R0, R1, R2, R3;
                static readonly BpfArray<long> am = new(8);
                static readonly BpfHashMap<{{(members.Contains("struct PadKey") ? "PadKey" : "uint")}}, long> flows = new(64);
                {{members}}

                [Xdp]
                public static XdpAction Run(XdpContext ctx)
                {
                    if (!ctx.TryRead(14, out ulong v) || !ctx.TryRead(22, out uint w) || !ctx.TryRead(26, out int x)) return XdpAction.Aborted;
                    {{body}}
                    return XdpAction.Pass;
                }
            }
            """, maps);
        var result = DifferentialRunner.Run(new[] { program }, FuzzCampaign.Frames(16))[0];
        Assert.True(result.Outcome == FuzzOutcome.Agreed, $"{result.Outcome}: {result.Detail}");
    }
}
