using System.Collections.Generic;
using Microsoft.Extensions.Logging;

namespace CSharpBpf.Logging;

/// <summary>One BpfLog call in a program, as the compiler recorded it: the records carry only <see cref="Id"/> and the values.</summary>
/// <param name="Id">The number the program sends.</param>
/// <param name="Level">The level of the call (Info → Information, …).</param>
/// <param name="Template">The message template with named holes (<c>"opened {Fd} by {Pid}"</c>).</param>
/// <param name="Values">How to read each hole's value, in record order.</param>
/// <param name="Source">Where the call is (file:line), the log's category.</param>
public sealed record BpfLogSite(int Id, LogLevel Level, string Template, IReadOnlyList<BpfLogValue> Values, string Source);
