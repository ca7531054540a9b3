using System.Collections.Concurrent;
using System.Globalization;
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

    /// <summary>
    /// Returns the peak RSS of the service seen at each concurrency. With a <paramref name="baseline"/>
    /// (another build serving the same tables), floor, baseline and this build take turns at each
    /// concurrency, the order reversed every round, and the report compares the two builds.
    /// </summary>
    public async Task<Dictionary<int, double>> RunAsync(ServiceProcess service, RequestSigner signer, (ServiceProcess Process, RequestSigner Signer)? baseline = null)
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
            var serviceBody = await FirstAnswerAsync(setup, signer, service.Endpoint);
            if (baseline is { } b && await FirstAnswerAsync(setup, b.Signer, b.Process.Endpoint) != serviceBody)
            {
                throw new InvalidOperationException("The baseline's GetSecretValue response differs in length from this build's.");
            }

            report.Line($"Row read by the floor: {(await floorResponse.Content.ReadAsByteArrayAsync()).Length} bytes of JSON; "
                + $"GetSecretValue response: {serviceBody} bytes; secret value: ~{ValueBytes} bytes.");
            report.Line(string.Empty);
        }

        // Targets in turn order: the floor, the baseline (when given), this build.
        var pool = new SignedCallPool(i => GetCall(signer, i), Secrets);
        var targets = new List<Target> { new("floor", azurite.ProcessId, null, null) };
        if (baseline is { } bl)
        {
            targets.Add(new("baseline", bl.Process.ProcessId, bl.Process, new SignedCallPool(i => GetCall(bl.Signer, i), Secrets)));
        }

        targets.Add(new("GetSecretValue", service.ProcessId, service, pool));
        var pids = targets.Select(t => t.Pid).Distinct().Append(Environment.ProcessId).ToArray();

        var peaks = new Dictionary<int, double>();
        var results = new List<string[]>();
        var cpuRows = new List<string[]>();
        var versusRows = new List<string[]>();
        var versusCpuRows = new List<string[]>();
        var roundNotes = new List<string>();
        foreach (var connections in options.Connections)
        {
            using var http = LoadRunner.CreateClient(connections);
            var next = 0L;
            HttpRequestMessage FloorRequest(int worker) => floor.PointRead(rows[(int)(Interlocked.Increment(ref next) % rows.Length)], "meta");
            Func<int, HttpRequestMessage> RequestOf(Target t) => t.Calls is { } calls ? _ => calls.Next().ToRequest(t.Process!.Endpoint) : FloorRequest;

            // Warm-up: connections open, JIT and caches settle, nothing measured.
            foreach (var target in targets)
            {
                await LoadRunner.RunAsync("warm-up", http, connections, target.Process is null ? TimeSpan.FromSeconds(1) : options.ServiceWarmUp, RequestOf(target));
            }

            var runs = targets.ToDictionary(t => t.Name, _ => new List<LoadResult>());
            var cpu = targets.ToDictionary(t => t.Name, _ => new TimeSpan[pids.Length]);
            var peak = 0.0;
            var roundRatios = new List<double>();
            for (var round = 0; round < options.Rounds; round++)
            {
                // Reverse the order every round, so drift (Azurite's heap, other work on the
                // machine) hits every target alike.
                var order = round % 2 == 0 ? targets : Enumerable.Reverse(targets).ToList();
                var thisRound = new Dictionary<string, LoadResult>();
                foreach (var target in order)
                {
                    await using var rss = new RssSampler(service.ProcessId);
                    var (run, used) = await CpuMeter.MeasureAsync(pids, () => LoadRunner.RunAsync(target.Name, http, connections, options.RunLength, RequestOf(target), onError: target.Failed));
                    runs[target.Name].Add(run);
                    thisRound[target.Name] = run;
                    Add(cpu[target.Name], used);
                    if (target.Process == service)
                    {
                        peak = Math.Max(peak, rss.PeakMegabytes);
                    }
                }

                if (baseline is not null)
                {
                    roundRatios.Add(thisRound["GetSecretValue"].RequestsPerSecond / thisRound["baseline"].RequestsPerSecond);
                }
            }

            var f = LoadResult.Combine(runs["floor"]);
            var s = LoadResult.Combine(runs["GetSecretValue"]);
            peaks[connections] = peak;
            double PerRequest(string target, int pid, LoadResult r) => cpu[target][Array.IndexOf(pids, pid)].TotalMilliseconds / r.Requests;
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
            cpuRows.Add(
            [
                connections.ToString(),
                Report.N(PerRequest("floor", azurite.ProcessId, f), 3), Report.N(PerRequest("floor", Environment.ProcessId, f), 3),
                Report.N(PerRequest("GetSecretValue", service.ProcessId, s), 3), Report.N(PerRequest("GetSecretValue", azurite.ProcessId, s), 3),
                Report.N(PerRequest("GetSecretValue", Environment.ProcessId, s), 3),
            ]);
            if (baseline is { } bp)
            {
                var b = LoadResult.Combine(runs["baseline"]);
                Report.Progress($"read c={connections}: baseline {b.RequestsPerSecond:F0}/s p99 {b.P99:F2} ms; new/baseline {s.RequestsPerSecond / b.RequestsPerSecond:F2}x per round {string.Join(' ', roundRatios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}");
                versusRows.Add(
                [
                    connections.ToString(),
                    Report.N(f.RequestsPerSecond),
                    Report.N(b.RequestsPerSecond), Report.N(b.P50, 2), Report.N(b.P99, 2),
                    Report.N(s.RequestsPerSecond), Report.N(s.P50, 2), Report.N(s.P99, 2),
                    Report.N(s.RequestsPerSecond / b.RequestsPerSecond, 2) + "×",
                    Report.N(roundRatios.Min(), 2) + "–" + Report.N(roundRatios.Max(), 2),
                    Report.N(s.P99 / b.P99, 2) + "×",
                    $"{f.Errors}/{b.Errors}/{s.Errors}",
                ]);
                var bCpu = PerRequest("baseline", bp.Process.ProcessId, b);
                var sCpu = PerRequest("GetSecretValue", service.ProcessId, s);
                versusCpuRows.Add(
                [
                    connections.ToString(),
                    Report.N(bCpu, 3), Report.N(sCpu, 3), Report.N(sCpu / bCpu, 2) + "×",
                    Report.N(PerRequest("baseline", azurite.ProcessId, b), 3), Report.N(PerRequest("GetSecretValue", azurite.ProcessId, s), 3),
                    Report.N(PerRequest("baseline", Environment.ProcessId, b), 3), Report.N(PerRequest("GetSecretValue", Environment.ProcessId, s), 3),
                ]);
                roundNotes.Add($"{connections} connections: " + string.Join(", ", roundRatios.Select(r => Report.N(r, 2) + "×")));
                foreach (var target in targets.Where(t => !t.Errors.IsEmpty))
                {
                    roundNotes.Add($"{connections} connections, {target.Name} errors: {target.ErrorSummary()}");
                    target.Errors.Clear();
                }
            }
        }

        if (baseline is not null)
        {
            report.Line($"This build against the baseline ({options.BaselineName}), floor / baseline / new in turn, the order reversed every round:");
            report.Line(string.Empty);
            report.Table(
                ["conns", "floor req/s", "baseline req/s", "baseline p50 ms", "baseline p99 ms", "new req/s", "new p50 ms", "new p99 ms", "new/baseline req/s", "per-round range", "new/baseline p99", "errors floor/base/new"],
                versusRows);
            report.Line("Service CPU milliseconds per request (from /proc/<pid>/stat), and what Azurite and the load generator spent meanwhile:");
            report.Line(string.Empty);
            report.Table(
                ["conns", "baseline: service", "new: service", "new/baseline CPU", "baseline: Azurite", "new: Azurite", "baseline: load gen.", "new: load gen."],
                versusCpuRows);
            report.Line("new/baseline req/s in each round (the noise): " + string.Join("; ", roundNotes) + ".");
            report.Line(string.Empty);
        }

        report.Table(
            ["conns", "floor req/s", "floor p50 ms", "floor p99 ms", "GetSecretValue req/s", "p50 ms", "p99 ms", "rate ratio", "p99 ratio", "errors floor/svc", "svc RSS MB"],
            results);
        report.Line("Where the two shared cores went, in CPU milliseconds per request (from /proc/<pid>/stat):");
        report.Line(string.Empty);
        report.Table(["conns", "floor: Azurite", "floor: load generator", "GetSecretValue: service", "GetSecretValue: Azurite", "GetSecretValue: load generator"], cpuRows);
        return peaks;
    }

    /// <summary>The length of a first GetSecretValue answer, which must carry the value.</summary>
    private static async Task<int> FirstAnswerAsync(HttpClient http, RequestSigner signer, Uri endpoint)
    {
        using var response = await http.SendAsync(GetCall(signer, 0).ToRequest(endpoint));
        var body = await response.Content.ReadAsStringAsync();
        return body.Contains("\"SecretString\"", StringComparison.Ordinal)
            ? body.Length
            : throw new InvalidOperationException($"GetSecretValue on {endpoint} answered {(int)response.StatusCode} without a value.");
    }

    /// <summary>One side of the interleaving: the floor (no process of its own) or a server build.</summary>
    private sealed record Target(string Name, int Pid, ServiceProcess? Process, SignedCallPool? Calls)
    {
        /// <summary>Error answers by status and AWS code, over the measured runs.</summary>
        public ConcurrentDictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);

        public void Failed(HttpResponseMessage response, byte[] body) =>
            Errors.AddOrUpdate($"{(int)response.StatusCode} {WritePhase.ErrorCode(body)}", 1, (_, c) => c + 1);

        public string ErrorSummary() => string.Join(", ", Errors.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}: {e.Value}"));
    }
}
