// The samples trace the whole machine and measure traffic on interfaces: one at a time keeps their counts exact.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]

// The samples are Linux tools (bpf(2), perf events, packet sockets).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
