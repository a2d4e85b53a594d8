// The C side of the paired corpus: each function is written as a C BPF developer would, matching
// Paired.cs program for program. Compiled with clang -O2 -target bpf during the benchmark run.
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

// linux/icmp.h pulls in libc headers that do not exist for the bpf target.
struct icmphdr {
    __u8 type;
    __u8 code;
    __u16 checksum;
    __u32 rest;
};
#define ICMP_ECHOREPLY 0
#define ICMP_ECHO 8

struct flow_key {
    __u32 source;
    __u32 destination;
    __u16 source_port;
    __u16 destination_port;
    __u32 protocol;
};

struct lpm_key {
    __u32 prefix_length;
    __u32 data;
};

struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1024); __type(key, __u32); __type(value, __u64); } blocked SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 256); __type(key, __u32); __type(value, __u64); } protocols SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __uint(max_entries, 4096); __type(key, struct flow_key); __type(value, __u64); } flows SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, 64); __uint(map_flags, BPF_F_NO_PREALLOC); __type(key, struct lpm_key); __type(value, __u32); } routes SEC(".maps");

SEC("xdp")
int drop_ssh(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_TCP) return XDP_PASS;
    struct tcphdr *tcp = (void *)ip + ip->ihl * 4;
    if ((void *)(tcp + 1) > end) return XDP_PASS;
    return tcp->dest == bpf_htons(22) ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int block_sources(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end) return XDP_PASS;
    __u32 source = bpf_ntohl(ip->saddr);
    __u64 *hits = bpf_map_lookup_elem(&blocked, &source);
    if (!hits) return XDP_PASS;
    __sync_fetch_and_add(hits, 1);
    return XDP_DROP;
}

SEC("xdp")
int decrement_ttl(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end) return XDP_PASS;
    if (ip->ttl <= 1) return XDP_DROP;
    ip->ttl--;
    __u32 sum = bpf_ntohs(ip->check) + 0x0100;
    ip->check = bpf_htons((__u16)(sum + (sum >> 16)));
    return XDP_TX;
}

SEC("xdp")
int echo_reply(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_ICMP || ip->ihl != 5) return XDP_PASS;
    struct icmphdr *icmp = (void *)(ip + 1);
    if ((void *)(icmp + 1) > end || icmp->type != ICMP_ECHO) return XDP_PASS;
    unsigned char mac[ETH_ALEN];
    __builtin_memcpy(mac, eth->h_source, ETH_ALEN);
    __builtin_memcpy(eth->h_source, eth->h_dest, ETH_ALEN);
    __builtin_memcpy(eth->h_dest, mac, ETH_ALEN);
    __u32 address = ip->saddr;
    ip->saddr = ip->daddr;
    ip->daddr = address;
    icmp->type = ICMP_ECHOREPLY;
    __u32 sum = bpf_ntohs(icmp->checksum) + 0x0800;
    icmp->checksum = bpf_htons((__u16)(sum + (sum >> 16)));
    return XDP_TX;
}

SEC("xdp")
int count_protocols(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end) return XDP_PASS;
    __u32 protocol = ip->protocol;
    __u64 *count = bpf_map_lookup_elem(&protocols, &protocol);
    if (count) __sync_fetch_and_add(count, 1);
    return XDP_PASS;
}

SEC("xdp")
int flow_bytes(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end) return XDP_PASS;
    if (ip->protocol != IPPROTO_TCP && ip->protocol != IPPROTO_UDP) return XDP_PASS;
    struct udphdr *ports = (void *)ip + ip->ihl * 4;
    if ((void *)(ports + 1) > end) return XDP_PASS;
    struct flow_key key = {
        .source = bpf_ntohl(ip->saddr), .destination = bpf_ntohl(ip->daddr),
        .source_port = bpf_ntohs(ports->source), .destination_port = bpf_ntohs(ports->dest),
        .protocol = ip->protocol,
    };
    __u64 length = ctx->data_end - ctx->data;
    __u64 *bytes = bpf_map_lookup_elem(&flows, &key);
    if (!bytes) {
        bpf_map_update_elem(&flows, &key, &length, BPF_ANY);
        return XDP_PASS;
    }
    __sync_fetch_and_add(bytes, length);
    return XDP_PASS;
}

SEC("xdp")
int route_lookup(struct xdp_md *ctx)
{
    void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
    struct ethhdr *eth = data;
    if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP)) return XDP_PASS;
    struct iphdr *ip = (void *)(eth + 1);
    if ((void *)(ip + 1) > end) return XDP_PASS;
    struct lpm_key key = { .prefix_length = 32, .data = bpf_ntohl(ip->daddr) };
    __u32 *action = bpf_map_lookup_elem(&routes, &key);
    return action ? *action : XDP_PASS;
}

SEC("tc")
int mark_udp(struct __sk_buff *skb)
{
    if (skb->protocol != bpf_htons(ETH_P_IP)) return TC_ACT_OK;
    void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
    struct iphdr *ip = data + sizeof(struct ethhdr);
    if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_UDP) return TC_ACT_OK;
    struct udphdr *udp = (void *)ip + ip->ihl * 4;
    if ((void *)(udp + 1) > end) return TC_ACT_OK;
    skb->mark = bpf_ntohs(udp->dest);
    return udp->dest == bpf_htons(53) ? TC_ACT_SHOT : TC_ACT_OK;
}

char _license[] SEC("license") = "GPL";
