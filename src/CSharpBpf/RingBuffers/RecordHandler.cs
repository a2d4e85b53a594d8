using System;

namespace CSharpBpf.RingBuffers;

/// <summary>Receives one ring-buffer record; the span is valid only during the call.</summary>
public delegate void RecordHandler(ReadOnlySpan<byte> record);
