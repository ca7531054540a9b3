using System.Diagnostics;
using FuncSecrets.Bench.Infra;
using FuncSecrets.Bench.Load;

namespace FuncSecrets.Bench.Phases;

/// <summary>
/// CreateSecret's rate on many new secrets, then ListSecrets' first page as the store grows:
/// measured at 1,000 and at 10,000 stored secrets (the rest seeded as copies of a real metadata
/// row, see <see cref="MetaRowCopier"/>), so the table shows whether the first page costs what
/// it returns or what is stored.
/// </summary>
public sealed class ListPhase(AzuriteProcess azurite, BenchSettings settings, BenchOptions options, Report report)
{
    private const int Calls = 20;
    private const int CreateConnections = 32;

    public async Task RunAsync(ServiceProcess service, ApiClient api)
    {
        // CreateSecret at 32 in flight; every secret it makes stays for the listing.
        var next = 0L;
        HttpRequestMessage Create(int worker)
        {
            var n = Interlocked.Increment(ref next);
            var body = System.Text.Json.JsonSerializer.Serialize(new { Name = $"bench-list-c{n:D6}", SecretString = ApiClient.Value((int)n, 64), ClientRequestToken = Guid.NewGuid().ToString() });
            return api.Signer.Sign("CreateSecret", body).ToRequest(service.Endpoint);
        }

        using var http = LoadRunner.CreateClient(CreateConnections);
        var creates = await LoadRunner.RunAsync("CreateSecret", http, CreateConnections, options.RunLength, Create);
        var created = creates.Requests - creates.Errors;
        Report.Progress($"CreateSecret c={CreateConnections}: {creates.RequestsPerSecond:F0}/s p99 {creates.P99:F1} ms, errors {creates.Errors}");

        var table = new RawTableClient(azurite, settings.TableName);
        var stored = ReadPhase.Secrets + 257 + (int)created;
        var rows = new List<string[]>();
        foreach (var target in new[] { stored, options.ListSecrets }.Where(t => t >= stored).Distinct())
        {
            if (target > stored)
            {
                var seeding = Stopwatch.StartNew();
                var names = Enumerable.Range(stored, target - stored).Select(i => $"bench-list-{i:D6}").ToList();
                await MetaRowCopier.CopyAsync(table, "bench-list-c000001", names);
                stored = target;
                Report.Progress($"seeded up to {stored} secrets in {seeding.Elapsed.TotalSeconds:F1} s");
            }

            var latencies = new List<double>();
            var entries = 0;
            for (var i = 0; i < Calls; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var page = await api.OkAsync("ListSecrets", new { });
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                entries = page["SecretList"]!.AsArray().Count;
            }

            latencies.Sort();
            var small = Stopwatch.GetTimestamp();
            await api.OkAsync("ListSecrets", new { MaxResults = 10 });
            var smallMs = Stopwatch.GetElapsedTime(small).TotalMilliseconds;
            // The same point read and GetSecretValue as the read phase, at this table size: Azurite's
            // lookup grows with the table (both sides alike), Table Storage's does not.
            var pool = new SignedCallPool(i => ReadPhase.GetCall(api.Signer, i), ReadPhase.Secrets);
            var templateRow = "bench-list-c000001";
            var floor = await LoadRunner.RunAsync("floor", http, CreateConnections, TimeSpan.FromSeconds(2), _ => table.PointRead(templateRow, "meta"));
            var reads = await LoadRunner.RunAsync("GetSecretValue", http, CreateConnections, TimeSpan.FromSeconds(2), _ => pool.Next().ToRequest(service.Endpoint));
            Report.Progress($"ListSecrets at {stored}: p50 {latencies[Calls / 2]:F0} ms; floor {floor.RequestsPerSecond:F0}/s, GetSecretValue {reads.RequestsPerSecond:F0}/s");
            rows.Add(
            [
                Report.N(stored), entries.ToString(), Report.N(latencies[Calls / 2], 1), Report.N(latencies[^1], 1), Report.N(smallMs, 1),
                Report.N(floor.RequestsPerSecond), Report.N(reads.RequestsPerSecond),
            ]);
        }

        report.Table(
            ["CreateSecret on new names", "conns", "req/s", "p50 ms", "p99 ms", "errors"],
            [["many", CreateConnections.ToString(), Report.N(creates.RequestsPerSecond), Report.N(creates.P50, 1), Report.N(creates.P99, 1), creates.Errors.ToString()]]);
        report.Table(["secrets stored", "first page entries", "ListSecrets first page p50 ms", "max ms", "MaxResults=10 ms", "floor point reads/s (32 conns)", "GetSecretValue/s (32 conns)"], rows);
    }
}
