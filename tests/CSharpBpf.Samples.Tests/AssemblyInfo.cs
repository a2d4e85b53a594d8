// The samples trace the whole machine and measure traffic on interfaces: one at a time keeps their counts exact.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
