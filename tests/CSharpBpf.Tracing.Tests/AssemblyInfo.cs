// OpenTracer's ring buffer is shared by the plain .NET tests: one test at a time keeps its contents exact.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
