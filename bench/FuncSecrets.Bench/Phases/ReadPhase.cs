using System.Text.Json;
using FuncSecrets.Bench.Infra;
using FuncSecrets.Bench.Load;

namespace FuncSecrets.Bench.Phases;

/// <summary>
/// GetSecretValue of AWSCURRENT against the storage floor, interleaved at each concurrency: the
/// floor is a plain SAS-authorized point read of the very row the service reads (the secret's metadata
/// row, which carries the current sealed value), from the same Azurite, by the same generator.
/// </summary>
public sealed class ReadPhase(AzuriteProcess azurite, BenchSettings settings, BenchOptions options, Report report)
{
    public const int Secrets = 100;
    public const int ValueBytes = 1024;

    private static void Add(TimeSpan[] totals, TimeSpan[] more)
    {
        for (var i = 0; i < totals.Length; i++)
        {
            totals[i] += more[i];
        }
    }

    public static string Name(int index) => $"bench-read-{index:D3}";

    public static SignedCall GetCall(RequestSigner signer, int index) =>
        signer.Sign("GetSecretValue", JsonSerializer.Serialize(new { SecretId = Name(index % Secrets) }));

    public static Task SeedAsync(ApiClient api) =>
        ApiClient.ForEachAsync(Secrets, 16, i => api.OkAsync("CreateSecret", new
        {
            Name = Name(i),
            SecretString = ApiClient.Value(i, ValueBytes),
            ClientRequestToken = Guid.NewGuid().ToString(),
        }));

    /// <summary>Returns the peak RSS of the service seen at each concurrency.</summary>
    public async Task<Dictionary<int, double>> RunAsync(ServiceProcess service, RequestSigner signer)
    {
        var floor = new RawTableClient(azurite, settings.TableName);
        string[] rows;
        using (var setup = LoadRunner.CreateClient(4))
        {
            var partitions = await floor.FindPartitionsAsync("meta", "Name");
            rows = [.. partitions.Where(p => p.Value.StartsWith("bench-read-", StringComparison.Ordinal)).OrderBy(p => p.Value, StringComparer.Ordinal).Select(p => p.Key)];
            if (rows.Length != Secrets)
            {
                throw new InvalidOperationException($"Found {rows.Length} seeded metadata rows, expected {Secrets}.");
            }

            using var floorResponse = await setup.SendAsync(floor.PointRead(rows[0], "meta"));
            using var serviceResponse = await setup.SendAsync(GetCall(signer, 0).ToRequest(service.Endpoint));
            var serviceBody = await serviceResponse.Content.ReadAsStringAsync();
            if (!serviceBody.Contains("\"SecretString\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"GetSecretValue answered {(int)serviceResponse.StatusCode} without a value.");
            }

            report.Line($"Row read by the floor: {(await floorResponse.Content.ReadAsByteArrayAsync()).Length} bytes of JSON; "
                + $"GetSecretValue response: {serviceBody.Length} bytes; secret value: ~{ValueBytes} bytes.");
            report.Line(string.Empty);
        }

        var pool = new SignedCallPool(i => GetCall(signer, i), Secrets);
        var peaks = new Dictionary<int, double>();
        var results = new List<string[]>();
        var cpuRows = new List<string[]>();
        foreach (var connections in options.Connections)
        {
            using var http = LoadRunner.CreateClient(connections);
            var next = 0L;
            HttpRequestMessage FloorRequest(int worker) => floor.PointRead(rows[(int)(Interlocked.Increment(ref next) % rows.Length)], "meta");
            HttpRequestMessage ServiceRequest(int worker) => pool.Next().ToRequest(service.Endpoint);

            // Warm-up: connections open, JIT and caches settle, neither side measured.
            await LoadRunner.RunAsync("warm-up", http, connections, TimeSpan.FromSeconds(1), FloorRequest);
            await LoadRunner.RunAsync("warm-up", http, connections, TimeSpan.FromSeconds(2), ServiceRequest);

            var floorRuns = new List<LoadResult>();
            var serviceRuns = new List<LoadResult>();
            var pids = new[] { service.ProcessId, azurite.ProcessId, Environment.ProcessId };
            var floorCpu = new TimeSpan[3];
            var serviceCpu = new TimeSpan[3];
            var peak = 0.0;
            for (var round = 0; round < options.Rounds; round++)
            {
                // Alternate which goes first, so drift (Azurite's heap, thermal) hits both alike.
                foreach (var serviceTurn in round % 2 == 0 ? new[] { false, true } : [true, false])
                {
                    if (serviceTurn)
                    {
                        await using var rss = new RssSampler(service.ProcessId);
                        var (run, cpu) = await CpuMeter.MeasureAsync(pids, () => LoadRunner.RunAsync("GetSecretValue", http, connections, options.RunLength, ServiceRequest));
                        serviceRuns.Add(run);
                        Add(serviceCpu, cpu);
                        peak = Math.Max(peak, rss.PeakMegabytes);
                    }
                    else
                    {
                        var (run, cpu) = await CpuMeter.MeasureAsync(pids, () => LoadRunner.RunAsync("floor", http, connections, options.RunLength, FloorRequest));
                        floorRuns.Add(run);
                        Add(floorCpu, cpu);
                    }
                }
            }

            var f = LoadResult.Combine(floorRuns);
            var s = LoadResult.Combine(serviceRuns);
            peaks[connections] = peak;
            Report.Progress($"read c={connections}: floor {f.RequestsPerSecond:F0}/s p99 {f.P99:F2} ms; service {s.RequestsPerSecond:F0}/s p99 {s.P99:F2} ms; errors {f.Errors}/{s.Errors}; RSS {peak:F0} MB");
            results.Add(
            [
                connections.ToString(),
                Report.N(f.RequestsPerSecond), Report.N(f.P50, 2), Report.N(f.P99, 2),
                Report.N(s.RequestsPerSecond), Report.N(s.P50, 2), Report.N(s.P99, 2),
                Report.N(s.RequestsPerSecond / f.RequestsPerSecond, 2) + "×",
                Report.N(s.P99 / f.P99, 2) + "×",
                $"{f.Errors}/{s.Errors}",
                Report.N(peak),
            ]);
            double PerRequest(TimeSpan cpu, LoadResult r) => cpu.TotalMilliseconds / r.Requests;
            cpuRows.Add(
            [
                connections.ToString(),
                Report.N(PerRequest(floorCpu[1], f), 3), Report.N(PerRequest(floorCpu[2], f), 3),
                Report.N(PerRequest(serviceCpu[0], s), 3), Report.N(PerRequest(serviceCpu[1], s), 3), Report.N(PerRequest(serviceCpu[2], s), 3),
            ]);
        }

        report.Table(
            ["conns", "floor req/s", "floor p50 ms", "floor p99 ms", "GetSecretValue req/s", "p50 ms", "p99 ms", "rate ratio", "p99 ratio", "errors floor/svc", "svc RSS MB"],
            results);
        report.Line("Where the two shared cores went, in CPU milliseconds per request (from /proc/<pid>/stat):");
        report.Line(string.Empty);
        report.Table(["conns", "floor: Azurite", "floor: load generator", "GetSecretValue: service", "GetSecretValue: Azurite", "GetSecretValue: load generator"], cpuRows);
        return peaks;
    }
}
