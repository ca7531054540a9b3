using FuncSecrets.Bench.Infra;
using FuncSecrets.Bench.Load;
using FuncSecrets.Core.Crypto;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.Bench.Phases;

/// <summary>
/// What one GetSecretValue costs inside: key-wrapping calls (the data-key cache's counters) and
/// storage round trips (every HTTP request the process sends to Azurite, counted through
/// System.Net.Http's own metrics), in steady state after a warm-up, at 32 connections.
/// </summary>
public sealed class CounterPhase(AzuriteProcess azurite, BenchSettings settings, BenchOptions options, Report report)
{
    private const int Connections = 32;

    public async Task RunAsync()
    {
        using var storage = new StorageRequestCounter(azurite.Port);
        var (app, endpoint) = await InProcessApp.StartAsync(settings);
        await using (app)
        {
            var cache = app.Services.GetRequiredService<DataKeyCache>();
            var signer = new RequestSigner(endpoint, settings.AccessKeyId, settings.SecretAccessKey);
            var pool = new SignedCallPool(i => ReadPhase.GetCall(signer, i), ReadPhase.Secrets);
            using var http = LoadRunner.CreateClient(Connections);
            HttpRequestMessage Next(int worker) => pool.Next().ToRequest(endpoint);

            var cold = await LoadRunner.RunAsync("warm-up", http, Connections, TimeSpan.FromSeconds(3), Next);
            var coldUnwraps = cache.UnwrapCalls;
            var before = Snapshot(cache, storage.Snapshot());
            var steady = await LoadRunner.RunAsync("steady", http, Connections, options.RunLength * 2, Next);
            // Let the audit sink's background flush of this window land before counting.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var after = Snapshot(cache, storage.Snapshot());

            var reads = (double)(steady.Requests - steady.Errors);
            double Per(string key) => (after[key] - before[key]) / reads;
            var gets = Per("GET");
            var writes = after.Where(p => p.Key is not ("GET" or "unwraps" or "hits")).Sum(p => p.Value - before.GetValueOrDefault(p.Key)) / reads;
            Report.Progress($"counters: {reads:F0} reads, unwraps/read {Per("unwraps"):F4}, storage GET/read {gets:F3}, writes/read {writes:F4}");
            report.Table(
                ["reads counted", "unwraps (cold, first pass)", "unwraps per read (steady)", "cache hits per read", "storage GETs per read", "storage writes per read (audit batches)", "errors"],
                [[
                    Report.N(reads), coldUnwraps.ToString(), Report.N(Per("unwraps"), 4), Report.N(Per("hits"), 3),
                    Report.N(gets, 3), Report.N(writes, 4), $"{cold.Errors + steady.Errors}",
                ]]);
        }
    }

    private static Dictionary<string, long> Snapshot(DataKeyCache cache, Dictionary<string, long> storage)
    {
        var snapshot = new Dictionary<string, long>(storage, StringComparer.Ordinal)
        {
            ["unwraps"] = cache.UnwrapCalls,
            ["hits"] = cache.Hits,
        };
        snapshot.TryAdd("GET", 0);
        return snapshot;
    }
}
