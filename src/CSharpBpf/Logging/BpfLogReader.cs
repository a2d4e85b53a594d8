using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CSharpBpf.RingBuffers;
using Microsoft.Extensions.Logging;

namespace CSharpBpf.Logging;

/// <summary>
/// Reads an object's BpfLog records from its log ring buffer and writes them to an <see cref="ILogger"/> as structured
/// entries: the template and hole names from the C# source, the values from the kernel.
/// </summary>
public sealed class BpfLogReader : IDisposable
{
    /// <summary>The ring buffer map every object that logs declares.</summary>
    public const string MapName = "__bpf_log";

    private readonly RingBufferReader _buffer;
    private readonly Dictionary<int, BpfLogSite> _sites = new();

    /// <summary>A reader of <paramref name="buffer"/>, whose records come from <paramref name="sites"/>.</summary>
    public BpfLogReader(RingBufferReader buffer, IEnumerable<BpfLogSite> sites)
    {
        _buffer = buffer;
        foreach (var site in sites) _sites[site.Id] = site;
    }

    /// <summary>Records whose site id is not in the table (a mismatched object and skeleton).</summary>
    public long Unknown { get; private set; }

    /// <summary>Writes the records waiting now to <paramref name="logger"/>; returns how many.</summary>
    public int Poll(ILogger logger) => _buffer.Poll(record => Write(logger, record));

    /// <summary>Writes records to <paramref name="logger"/> as they arrive, until <paramref name="cancellationToken"/> fires.</summary>
    public async Task ForwardAsync(ILogger logger, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
            if (Poll(logger) == 0) await Task.Run(() => _buffer.Wait(100), CancellationToken.None).ConfigureAwait(false);
    }

    private void Write(ILogger logger, ReadOnlySpan<byte> record)
    {
        // A record is the site number (8 bytes), then a slot per value: 8 bytes for a number, a text's bytes rounded up to 8.
        if (record.Length < 8 || !_sites.TryGetValue(BinaryPrimitives.ReadInt32LittleEndian(record), out var site) || record.Length < 8 + site.Values.Sum(v => v.SlotSize))
        {
            Unknown++;
            return;
        }
        if (!logger.IsEnabled(site.Level)) return;
        var values = new object[site.Values.Count];
        int offset = 8;
        for (int i = 0; i < values.Length; i++)
        {
            var value = site.Values[i];
            var slot = record.Slice(offset, value.Size);
            ulong raw = value.Kind == BpfLogValueKind.Text ? 0 : BinaryPrimitives.ReadUInt64LittleEndian(slot);
            values[i] = value.Kind switch
            {
                BpfLogValueKind.Signed => (long)raw,
                BpfLogValueKind.Boolean => raw != 0,
                BpfLogValueKind.Text => CStringText.Decode(slot),
                _ => raw,
            };
            offset += value.SlotSize;
        }
#pragma warning disable CA2254 // the template is the C# source's, constant per site
        logger.Log(site.Level, new EventId(site.Id, site.Source), site.Template, values);
#pragma warning restore CA2254
    }

    /// <summary>Stops reading.</summary>
    public void Dispose() => _buffer.Dispose();
}
