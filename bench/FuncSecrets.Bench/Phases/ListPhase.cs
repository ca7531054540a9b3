using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Bench.Infra;
using FuncSecrets.Bench.Load;
using FuncSecrets.Core.Services;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.Bench.Phases;

/// <summary>
/// CreateSecret's rate on many new secrets, then ListSecrets as the store grows (issue 13): at
/// each size of <see cref="BenchOptions.ListSizes"/>, the first page and a middle page with no
/// filter (default order, CreatedDate ascending), SortBy=created-date descending, a name prefix
/// (default order) and a name prefix in SortBy=name. The prefix matches the same 1,000 secrets
/// at every size, so its pages show whether they cost what matches or what is stored. Secrets
/// are seeded as copies of a real metadata row (distinct names and dates) inserted raw, then
/// indexed through the store's own backfill (<see cref="TableSecretStore.RebuildListIndexAsync"/>).
/// </summary>
public sealed class ListPhase(AzuriteProcess azurite, BenchSettings settings, BenchOptions options, Report report)
{
    private const int Calls = 10;
    private const int CreateConnections = 32;
    private const int SeedParallelism = 64;
    private const string Seeded = "bench-list-";
    private const string Prefix = "bench-list-000";
    private const int PrefixMatches = 1_000;
    private const long ScramblePrime = 1_000_003;

    /// <summary>Seeded secrets are older than every real one: they fill the start of the date orders.</summary>
    private static readonly DateTimeOffset SeedBase = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Seeding stops here (Azurite's inserts slow down with the table, see docs/bench.md).</summary>
    private static readonly TimeSpan SeedBudget = TimeSpan.FromMinutes(12);

    private static readonly (string Case, string? SortBy, string? SortOrder, bool Prefixed)[] Cases =
    [
        ("no filter (CreatedDate asc)", null, null, false),
        ("SortBy=created-date desc", "created-date", "desc", false),
        ("name prefix (CreatedDate asc)", null, null, true),
        ("name prefix, SortBy=name", "name", null, true),
    ];

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
        Report.Progress($"CreateSecret c={CreateConnections}: {creates.RequestsPerSecond:F0}/s p99 {creates.P99:F1} ms, errors {creates.Errors}");
        report.Table(
            ["CreateSecret on new names", "conns", "req/s", "p50 ms", "p99 ms", "errors"],
            [["many", CreateConnections.ToString(CultureInfo.InvariantCulture), Report.N(creates.RequestsPerSecond), Report.N(creates.P50, 1), Report.N(creates.P99, 1), creates.Errors.ToString(CultureInfo.InvariantCulture)]]);

        var table = new RawTableClient(azurite, settings.TableName);
        // A secret CreateSecret made above (under load some calls may have failed: take the first that exists).
        TableEntity? template = null;
        for (var n = 1; template is null && n <= next; n++)
        {
            template = await table.TryReadForCopyAsync($"bench-list-c{n:D6}", "meta");
        }

        if (template is null)
        {
            throw new InvalidOperationException("No CreateSecret of the list phase succeeded: nothing to seed from.");
        }

        var store = await TableSecretStore.CreateAsync(
            new TableStoreOptions { ConnectionString = settings.ConnectionString, TableName = settings.TableName, DueTableName = settings.TableName + "due" },
            credential: null,
            CancellationToken.None);
        using var requests = new StorageRequestCounter(azurite.Port);

        var rows = new List<string[]>();
        var seedRows = new List<string[]>();
        var seeded = 0;
        var seeding = Stopwatch.StartNew();
        foreach (var size in options.ListSizes.Order())
        {
            var started = Stopwatch.StartNew();
            var reached = await SeedAsync(table, template, seeded, size, seeding);
            var insertSeconds = started.Elapsed.TotalSeconds;
            started.Restart();
            await store.RebuildListIndexAsync(CancellationToken.None);
            var indexSeconds = started.Elapsed.TotalSeconds;
            Report.Progress($"seeded {reached} secrets (+{reached - seeded} in {insertSeconds:F1} s), index rebuilt in {indexSeconds:F1} s");
            seedRows.Add([Report.N(reached), Report.N(reached - seeded), Report.N(insertSeconds, 1), Report.N(indexSeconds, 1)]);
            seeded = reached;

            foreach (var (name, sortBy, sortOrder, prefixed) in Cases)
            {
                var filters = prefixed ? new[] { new { Key = "name", Values = new[] { Prefix } } } : null;
                var middle = MiddleToken(seeded, sortBy, sortOrder, prefixed);
                var (first, entries) = await TimeAsync(api, new { SortBy = sortBy, SortOrder = sortOrder, Filters = filters });
                var (mid, _) = await TimeAsync(api, new { SortBy = sortBy, SortOrder = sortOrder, Filters = filters, NextToken = middle });
                var (calls, storage) = await StorageCallsAsync(store, requests, sortBy, sortOrder, prefixed);
                Report.Progress($"ListSecrets at {seeded}, {name}: first {first:F1} ms (Azurite {storage:F1} ms of it), middle {mid:F1} ms, storage calls {calls}");
                rows.Add([Report.N(seeded), name, entries.ToString(CultureInfo.InvariantCulture), Report.N(first, 1), Report.N(storage, 1), Report.N(mid, 1), calls]);
            }

            if (reached < size)
            {
                Report.Progress($"seeding stopped at {reached} of {size}: over the {SeedBudget.TotalMinutes:F0}-minute budget");
                break;
            }
        }

        report.Table(["secrets", "seeded now", "raw inserts s", "index backfill s (all secrets)"], seedRows);
        report.Table(["secrets stored", "ListSecrets", "entries", "first page p50 ms", "Azurite's answer to the same page's requests p50 ms (in-process store)", "middle page p50 ms", "storage calls for one page (store, in-process)"], rows);
    }

    /// <summary>
    /// Copies of one real metadata row under names <c>bench-list-NNNNNN</c>, each with its own
    /// CreatedDate and LastChangedDate (a scrambled order, unlike the names'), 64 in flight.
    /// </summary>
    private static async Task<int> SeedAsync(RawTableClient table, TableEntity template, int from, int to, Stopwatch budget)
    {
        var done = from;
        await Parallel.ForEachAsync(
            Enumerable.Range(from, Math.Max(0, to - from)),
            new ParallelOptions { MaxDegreeOfParallelism = SeedParallelism },
            async (i, token) =>
            {
                if (budget.Elapsed > SeedBudget)
                {
                    return;
                }

                var created = CreatedOf(i);
                var copy = new TableEntity(template)
                {
                    PartitionKey = Name(i),
                    ["Name"] = Name(i),
                    ["CreatedDate"] = created,
                    ["LastChangedDate"] = created,
                };
                copy.Remove("LastAccessedDate");
                await table.InsertAsync(copy);
                Interlocked.Increment(ref done);
            });
        return done;
    }

    private static string Name(int i) => Seeded + i.ToString("D6", CultureInfo.InvariantCulture);

    private static DateTimeOffset CreatedOf(int i) => SeedBase.AddSeconds(i * 7919L % ScramblePrime);

    /// <summary>
    /// The NextToken ListSecrets would issue halfway through the seeded secrets of a case (the
    /// service's own token encoding), so a middle page costs one call, not the pages before it.
    /// </summary>
    private static string MiddleToken(int seeded, string? sortBy, string? sortOrder, bool prefixed)
    {
        var candidates = Enumerable.Range(0, prefixed ? Math.Min(seeded, PrefixMatches) : seeded).ToList();
        var order = SecretOrder.Create(sortBy, sortOrder);
        string KeyOf(int i) => order.SortKey == SecretSortKey.Name ? Name(i) : CreatedOf(i).UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
        var sorted = candidates.OrderBy(KeyOf, StringComparer.Ordinal).ThenBy(Name, StringComparer.Ordinal).ToList();
        if (order.Descending)
        {
            sorted.Reverse();
        }

        var middle = sorted[sorted.Count / 2];
        return PageToken.Encode("list" + order.Scope, KeyOf(middle) + "\n" + Name(middle));
    }

    private static async Task<(double P50, int Entries)> TimeAsync(ApiClient api, object request)
    {
        var latencies = new List<double>();
        var entries = 0;
        for (var i = 0; i < Calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var page = await api.OkAsync("ListSecrets", request);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            entries = page["SecretList"]!.AsArray().Count;
        }

        latencies.Sort();
        return (latencies[Calls / 2], entries);
    }

    /// <summary>
    /// The storage requests one first page (100 + 1 entries) costs through the store, in this
    /// process, and how long Azurite took to answer them (p50 of <see cref="Calls"/> pages): the
    /// page's storage floor. The floor grows with the store on Azurite, which scans the whole table
    /// for every query (docs/bench.md); what the service adds on top of it is what must not.
    /// </summary>
    private static async Task<(string Calls, double StorageP50)> StorageCallsAsync(TableSecretStore store, StorageRequestCounter requests, string? sortBy, string? sortOrder, bool prefixed)
    {
        var order = SecretOrder.Create(sortBy, sortOrder);
        var query = new SecretListQuery(order.SortKey, order.Descending, prefixed ? [Prefix] : null, false, null, 101);
        var described = string.Empty;
        var storage = new List<double>();
        for (var i = 0; i < Calls; i++)
        {
            var before = requests.Snapshot();
            var storageBefore = requests.SnapshotMicroseconds().Values.Sum();
            var taken = 0;
            await foreach (var record in store.ListOrderedAsync(query, CancellationToken.None))
            {
                if (++taken == 101)
                {
                    break;
                }
            }

            storage.Add((requests.SnapshotMicroseconds().Values.Sum() - storageBefore) / 1e3);
            described = StorageRequestCounter.Describe(StorageRequestCounter.Delta(before, requests.Snapshot()));
        }

        storage.Sort();
        return (described, storage[Calls / 2]);
    }
}
