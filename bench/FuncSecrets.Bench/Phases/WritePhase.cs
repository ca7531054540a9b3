using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSecrets.Bench.Infra;
using FuncSecrets.Bench.Load;

namespace FuncSecrets.Bench.Phases;

/// <summary>
/// PutSecretValue: every writer on one secret (each write is a conditional transaction on that
/// secret's metadata row, so writers queue on its ETag) and writers spread over many secrets.
/// Each request carries a fresh ClientRequestToken, so each is signed when it is sent. With
/// baselines (other builds on the same Azurite and tables, each writing secrets of its own),
/// the builds take turns in every cell, the order rotated every round, as in the reads phase.
/// Then, in process, what one write costs in storage requests (issue 13: the listing index).
/// </summary>
public sealed class WritePhase(AzuriteProcess azurite, BenchSettings settings, BenchOptions options, Report report)
{
    private const int ManySecrets = 256;

    private static readonly (string Label, int Connections, bool Many)[] Cells =
        [("one secret", 1, false), ("one secret", 8, false), ("many secrets", 8, true), ("many secrets", 32, true)];

    /// <summary>One build under load: this one first, then each baseline, each with its own secrets.</summary>
    public sealed record Target(string Name, ServiceProcess Process, ApiClient Api, string Prefix)
    {
        public ConcurrentDictionary<string, int> Errors { get; } = new(StringComparer.Ordinal);

        public void Failed(HttpResponseMessage response, byte[] body) =>
            Errors.AddOrUpdate($"{(int)response.StatusCode} {ErrorCode(body)}", 1, (_, c) => c + 1);
    }

    public async Task RunAsync(IReadOnlyList<Target> targets)
    {
        foreach (var target in targets)
        {
            await SeedAsync(target.Api, target.Prefix);
        }

        if (targets.Count > 1)
        {
            report.Line($"Builds in turn, the order rotated every round ({options.Rounds} rounds of {options.RunLength.TotalSeconds:F0} s per cell), "
                + "each writing secrets of its own in the same tables: " + string.Join(", ", targets.Select(t => $"{t.Name} (pid {t.Process.ProcessId})")) + ".");
            report.Line(string.Empty);
        }

        var rows = new List<string[]>();
        var versus = new List<string[]>();
        foreach (var (label, connections, many) in Cells)
        {
            using var http = LoadRunner.CreateClient(connections);
            var next = 0L;
            Func<int, HttpRequestMessage> PutOf(Target target) => _ =>
            {
                var n = Interlocked.Increment(ref next);
                var name = many ? $"{target.Prefix}-{n % ManySecrets:D3}" : $"{target.Prefix}-one";
                var body = JsonSerializer.Serialize(new { SecretId = name, SecretString = ApiClient.Value((int)(n % 100_000), 256), ClientRequestToken = Guid.NewGuid().ToString() });
                return target.Api.Signer.Sign("PutSecretValue", body).ToRequest(target.Process.Endpoint);
            };

            foreach (var target in targets)
            {
                await LoadRunner.RunAsync("warm-up", http, connections, TimeSpan.FromSeconds(1), PutOf(target));
                target.Errors.Clear();
            }

            var runs = targets.ToDictionary(t => t.Name, _ => new List<LoadResult>());
            var cpu = targets.ToDictionary(t => t.Name, _ => (Service: TimeSpan.Zero, Azurite: TimeSpan.Zero));
            for (var round = 0; round < options.Rounds; round++)
            {
                // Rotate who goes first, so drift (Azurite's heap, other work) hits every build alike.
                foreach (var target in targets.Skip(round % targets.Count).Concat(targets.Take(round % targets.Count)))
                {
                    var (run, used) = await CpuMeter.MeasureAsync(
                        [target.Process.ProcessId, azurite.ProcessId],
                        () => LoadRunner.RunAsync("PutSecretValue", http, connections, options.RunLength, PutOf(target), onError: target.Failed));
                    runs[target.Name].Add(run);
                    cpu[target.Name] = (cpu[target.Name].Service + used[0], cpu[target.Name].Azurite + used[1]);
                }
            }

            var current = LoadResult.Combine(runs[targets[0].Name]);
            foreach (var target in targets)
            {
                var result = LoadResult.Combine(runs[target.Name]);
                Report.Progress($"put {label} c={connections} {target.Name}: {result.RequestsPerSecond:F0}/s p99 {result.P99:F1} ms, errors {result.Errors}");
                rows.Add(
                [
                    label, connections.ToString(), target.Name, Report.N(result.RequestsPerSecond), Report.N(result.P50, 1), Report.N(result.P99, 1),
                    Report.N(cpu[target.Name].Service.TotalMilliseconds / result.Requests, 2), Report.N(cpu[target.Name].Azurite.TotalMilliseconds / result.Requests, 2),
                    result.Errors == 0 ? "0" : $"{result.Errors} ({string.Join(", ", target.Errors.Select(c => $"{c.Key}: {c.Value}"))})",
                ]);
                if (target != targets[0])
                {
                    var perRound = runs[targets[0].Name].Zip(runs[target.Name], (a, b) => a.RequestsPerSecond / b.RequestsPerSecond).ToList();
                    versus.Add(
                    [
                        label, connections.ToString(), target.Name,
                        Report.N(current.RequestsPerSecond / result.RequestsPerSecond, 2) + "×",
                        Report.N(perRound.Min(), 2) + "–" + Report.N(perRound.Max(), 2),
                        Report.N(current.P99 / result.P99, 2) + "×",
                    ]);
                }
            }
        }

        report.Table(["PutSecretValue on", "conns", "build", "req/s", "p50 ms", "p99 ms", "service CPU ms/write", "Azurite CPU ms/write", "errors"], rows);
        if (versus.Count > 0)
        {
            report.Line($"This build ({targets[0].Name}) against each baseline:");
            report.Line(string.Empty);
            report.Table(["PutSecretValue on", "conns", "baseline", "new/baseline req/s", "per-round range", "new/baseline p99"], versus);
        }

        await CountAsync();
    }

    /// <summary>The secrets one build writes to: one shared by every writer and <see cref="ManySecrets"/> spread ones.</summary>
    private static async Task SeedAsync(ApiClient api, string prefix)
    {
        await api.OkAsync("CreateSecret", new { Name = $"{prefix}-one", SecretString = "v0", ClientRequestToken = Guid.NewGuid().ToString() });
        await ApiClient.ForEachAsync(ManySecrets, 16, i => api.OkAsync("CreateSecret", new
        {
            Name = $"{prefix}-{i:D3}",
            SecretString = "v0",
            ClientRequestToken = Guid.NewGuid().ToString(),
        }));
    }

    /// <summary>
    /// This build in process: storage requests per PutSecretValue by method, and their mean time
    /// as System.Net.Http measured it, at 1 connection on one secret and 32 over many.
    /// </summary>
    private async Task CountAsync()
    {
        using var storage = new StorageRequestCounter(azurite.Port);
        var (app, endpoint) = await InProcessApp.StartAsync(settings);
        var rows = new List<string[]>();
        await using (app)
        {
            using var setup = LoadRunner.CreateClient(4);
            var api = new ApiClient(setup, new RequestSigner(endpoint, settings.AccessKeyId, settings.SecretAccessKey));
            const string prefix = "bench-count";
            await SeedAsync(api, prefix);
            foreach (var (label, connections, many) in new[] { ("one secret", 1, false), ("many secrets", 32, true) })
            {
                using var http = LoadRunner.CreateClient(connections);
                var next = 0L;
                HttpRequestMessage Put(int worker)
                {
                    var n = Interlocked.Increment(ref next);
                    var name = many ? $"{prefix}-{n % ManySecrets:D3}" : $"{prefix}-one";
                    var body = JsonSerializer.Serialize(new { SecretId = name, SecretString = ApiClient.Value((int)(n % 100_000), 256), ClientRequestToken = Guid.NewGuid().ToString() });
                    return api.Signer.Sign("PutSecretValue", body).ToRequest(endpoint);
                }

                await LoadRunner.RunAsync("warm-up", http, connections, TimeSpan.FromSeconds(1), Put);
                var before = storage.Snapshot();
                var beforeMs = storage.SnapshotMicroseconds();
                var run = await LoadRunner.RunAsync("counted", http, connections, options.RunLength, Put);

                // Queued index confirmations and audit batches of this window land before counting.
                await Task.Delay(TimeSpan.FromSeconds(1));
                var delta = StorageRequestCounter.Delta(before, storage.Snapshot());
                var deltaMs = StorageRequestCounter.Delta(beforeMs, storage.SnapshotMicroseconds());
                var writes = (double)(run.Requests - run.Errors);
                string Per(string method) => Report.N(delta.GetValueOrDefault(method) / writes, 2);
                string Mean(string method) => delta.GetValueOrDefault(method) == 0 ? "–" : Report.N(deltaMs.GetValueOrDefault(method) / 1000.0 / delta[method], 2);
                var other = delta.Where(p => p.Key is not ("GET" or "POST")).Sum(p => p.Value) / writes;
                Report.Progress($"put counters {label} c={connections}: {StorageRequestCounter.Describe(delta)} over {writes:F0} writes");
                rows.Add(
                [
                    label, connections.ToString(), Report.N(writes), Report.N(run.RequestsPerSecond),
                    Per("GET"), Mean("GET"), Per("POST"), Mean("POST"), Report.N(other, 2), $"{run.Errors}",
                ]);
            }
        }

        report.Line("Inside one PutSecretValue (this build in process): storage requests per write by method (POST is a `$batch` transaction; audit batches included), and their mean duration:");
        report.Line(string.Empty);
        report.Table(["PutSecretValue on", "conns", "writes", "req/s", "GET per write", "GET mean ms", "POST per write", "POST mean ms", "other per write", "errors"], rows);
    }

    /// <summary>The AWS error code (<c>__type</c>) of an error answer.</summary>
    internal static string ErrorCode(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body)?["__type"]?.GetValue<string>() ?? "?";
        }
        catch (JsonException)
        {
            return "(not JSON)";
        }
    }
}
