using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace FuncSecrets.Bench.Infra;

/// <summary>
/// Counts every HTTP request this process sends to one port (Azurite), by method, through
/// System.Net.Http's own <c>http.client.request.duration</c> metric: the storage round trips
/// the in-process service makes, whatever client library it uses.
/// </summary>
public sealed class StorageRequestCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _microseconds = new(StringComparer.Ordinal);

    public StorageRequestCounter(int port)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "System.Net.Http" && instrument.Name == "http.client.request.duration")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            string? method = null;
            var matches = false;
            foreach (var tag in tags)
            {
                if (tag.Key == "server.port" && tag.Value is int p)
                {
                    matches = p == port;
                }
                else if (tag.Key == "http.request.method")
                {
                    method = tag.Value as string;
                }
            }

            if (matches)
            {
                _counts.AddOrUpdate(method ?? "?", 1, (_, n) => n + 1);
                var micros = (long)(seconds * 1_000_000);
                _microseconds.AddOrUpdate(method ?? "?", micros, (_, n) => n + micros);
            }
        });
        _listener.Start();
    }

    public Dictionary<string, long> Snapshot() => new(_counts, StringComparer.Ordinal);

    /// <summary>Total request time by method, in microseconds (send to response headers, as the metric measures).</summary>
    public Dictionary<string, long> SnapshotMicroseconds() => new(_microseconds, StringComparer.Ordinal);

    /// <summary>Requests by method between two snapshots.</summary>
    public static Dictionary<string, long> Delta(Dictionary<string, long> before, Dictionary<string, long> after) =>
        after.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key), StringComparer.Ordinal);

    /// <summary>"GET 11, POST 10" — methods as System.Net.Http reports them (MERGE counts as _OTHER).</summary>
    public static string Describe(Dictionary<string, long> delta) =>
        string.Join(", ", delta.Where(p => p.Value > 0).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));

    public void Dispose() => _listener.Dispose();
}
