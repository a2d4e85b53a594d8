// The libpcap side of the classic BPF benchmark: compiles each expression of a file with pcap_compile (Ethernet,
// optimized, as tcpdump does) and runs pcap_offline_filter over every packet of a pcap file, ROUNDS times; prints the
// number of filter runs and the nanoseconds they took.
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s EXPRESSIONS PCAP ROUNDS\n", argv[0]); return 2; }
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *file = pcap_open_offline(argv[2], errbuf);
    if (!file) { fprintf(stderr, "%s\n", errbuf); return 1; }
    struct pcap_pkthdr *header; const u_char *data;
    size_t count = 0, capacity = 4096;
    struct pcap_pkthdr *headers = malloc(capacity * sizeof *headers);
    u_char **packets = malloc(capacity * sizeof *packets);
    while (pcap_next_ex(file, &header, &data) == 1) {
        if (count == capacity) { capacity *= 2; headers = realloc(headers, capacity * sizeof *headers); packets = realloc(packets, capacity * sizeof *packets); }
        headers[count] = *header;
        packets[count] = malloc(header->caplen);
        memcpy(packets[count], data, header->caplen);
        count++;
    }
    pcap_t *dead = pcap_open_dead(DLT_EN10MB, 262144);
    FILE *expressions = fopen(argv[1], "r");
    if (!expressions) { perror(argv[1]); return 1; }
    int rounds = atoi(argv[3]);
    char line[1024];
    long long runs = 0, nanoseconds = 0, matched = 0;
    while (fgets(line, sizeof line, expressions)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0] == 0 || line[0] == '#') continue;
        struct bpf_program program;
        // netmask 0, as tcpdump passes reading a file
        if (pcap_compile(dead, &program, line, 1, 0) != 0) { fprintf(stderr, "%s: %s\n", line, pcap_geterr(dead)); return 1; }
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (int r = 0; r < rounds; r++)
            for (size_t i = 0; i < count; i++)
                matched += pcap_offline_filter(&program, &headers[i], packets[i]) != 0;
        clock_gettime(CLOCK_MONOTONIC, &end);
        nanoseconds += (end.tv_sec - start.tv_sec) * 1000000000LL + (end.tv_nsec - start.tv_nsec);
        runs += (long long)rounds * count;
        pcap_freecode(&program);
    }
    printf("%lld %lld %lld\n", runs, nanoseconds, matched);
    return 0;
}
