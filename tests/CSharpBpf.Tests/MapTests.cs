using System.Runtime.CompilerServices;
using Xunit;

namespace CSharpBpf.Tests;

public sealed class MapTests
{
    [Fact]
    public void Hash_map_follows_the_kernel_update_flags_and_capacity()
    {
        var map = new BpfHashMap<uint, long>(maxEntries: 2);
        Assert.True(map.TryAdd(1, 10));
        Assert.False(map.TryAdd(1, 11));
        Assert.True(map.Update(1, 12, UpdateFlags.Exist));
        Assert.False(map.Update(2, 20, UpdateFlags.Exist));
        Assert.True(map.Update(2, 20));
        Assert.False(map.Update(3, 30)); // full
        Assert.True(map.TryGetValue(1, out long value));
        Assert.Equal(12, value);
        Assert.True(map.Remove(1));
        Assert.False(map.Remove(1));
        Assert.False(map.TryGetValue(1, out value));
        Assert.Equal(0, value);
        Assert.Equal(1, map.Count);
    }

    [Fact]
    public void A_ref_to_a_value_writes_through_to_the_map()
    {
        var map = new BpfHashMap<uint, ulong>(maxEntries: 4);
        map.Update(7, 1);
        ref ulong hits = ref map.GetValueRefOrNullRef(7);
        hits += 41;
        Assert.True(map.TryGetValue(7, out ulong value));
        Assert.Equal(42ul, value);
        Assert.True(Unsafe.IsNullRef(ref map.GetValueRefOrNullRef(8)));
    }

    [Fact]
    public void Lru_map_evicts_the_least_recently_used_key()
    {
        var map = new BpfLruHashMap<int, int>(maxEntries: 2);
        map.Update(1, 1);
        map.Update(2, 2);
        _ = map.GetValueRefOrNullRef(1); // 1 is now more recent than 2
        Assert.True(map.Update(3, 3));
        Assert.True(map.TryGetValue(1, out _));
        Assert.False(map.TryGetValue(2, out _));
        Assert.True(map.TryGetValue(3, out _));
    }

    [Fact]
    public void Arrays_have_every_element_and_refuse_NoExist()
    {
        var array = new BpfArray<int>(maxEntries: 4);
        Assert.True(array.TryGetValue(3, out int zero));
        Assert.Equal(0, zero);
        Assert.False(array.TryGetValue(4, out _));
        Assert.False(array.Update(0, 1, UpdateFlags.NoExist));
        Assert.True(array.Update(0, 1));
        array.GetValueRefOrNullRef(0) += 1;
        Assert.True(array.TryGetValue(0, out int two));
        Assert.Equal(2, two);
        Assert.True(Unsafe.IsNullRef(ref array.GetValueRefOrNullRef(9)));
        var perCpu = new BpfPerCpuArray<long>(maxEntries: 1);
        perCpu.GetValueRefOrNullRef(0) = 5;
        Assert.True(perCpu.TryGetValue(0, out long five));
        Assert.Equal(5, five);
    }

    [Fact]
    public void Lpm_trie_finds_the_longest_matching_prefix()
    {
        var trie = new BpfLpmTrie<uint, int>(maxEntries: 8);
        // Data in memory order: 10.0.0.0 is bytes 0a 00 00 00, i.e. 0x0000000a on little-endian.
        Assert.True(trie.TryAdd(new LpmKey<uint>(8, 0x0000000a), 8));
        Assert.True(trie.TryAdd(new LpmKey<uint>(16, 0x0000010a), 16));
        Assert.False(trie.TryAdd(new LpmKey<uint>(16, 0xffff010a), 0)); // same prefix once masked
        Assert.True(trie.TryGetValue(new LpmKey<uint>(32, 0x0403010a), out int length));
        Assert.Equal(16, length);
        Assert.True(trie.TryGetValue(new LpmKey<uint>(32, 0x0403020a), out length));
        Assert.Equal(8, length);
        Assert.False(trie.TryGetValue(new LpmKey<uint>(32, 0x0403020b), out _));
        Assert.True(trie.Remove(new LpmKey<uint>(16, 0x0000010a)));
        Assert.True(trie.TryGetValue(new LpmKey<uint>(32, 0x0403010a), out length));
        Assert.Equal(8, length);
    }

    [Fact]
    public void Ring_buffer_keeps_records_in_order_until_full()
    {
        Assert.Throws<System.ArgumentException>(() => new BpfRingBuffer(sizeBytes: 1000));
        var ring = new BpfRingBuffer(sizeBytes: 4096);
        int written = 0;
        while (ring.Output(written)) written++;
        Assert.Equal(4096 / 16, written); // 4 bytes + 8-byte header, rounded to 8
        Assert.True(ring.TryTake(out var first));
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, first);
        Assert.True(ring.Output(99));
    }

    [Fact]
    public void Tail_call_runs_the_program_and_never_returns()
    {
        var programs = new BpfProgramArray(maxEntries: 2);
        var ctx = new XdpContext(new byte[14]);
        programs.TailCall(ctx, 1); // empty slot: returns
        programs.Register<XdpContext>(1, c => c.Length * 2);
        var thrown = Assert.Throws<BpfTailCallException>(() => programs.TailCall(ctx, 1));
        Assert.Equal(28, thrown.Result);
    }
}
