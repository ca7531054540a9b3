using System.Diagnostics;
using FuncSecrets.Bench.Infra;
using FuncSecrets.Core;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Services;
using FuncSecrets.Core.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace FuncSecrets.Bench.Phases;

/// <summary>
/// The service's own listing work at 1,000, 10,000 and 100,000 secrets, without Azurite's scan
/// (issue 13): <see cref="ListSecretsHandler"/> over the in-memory store, which passes the same
/// listing contract tests as the Table store and seeks its sorted index as the Table store seeks
/// its row keys. The Azurite half of the list phase shows the other side: one ranged storage
/// request per page at every size. Together they are the evidence that a page costs what it
/// returns; Azurite's own query time (a scan of the whole table) is what grows there.
/// </summary>
internal static class ListScale
{
    private const int Calls = 101;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(8);
    private const long NoGcBudget = 200L * 1024 * 1024;
    private const string Prefix = "scale-000";
    private static readonly DateTimeOffset SeedBase = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly int[] Sizes = [1_000, 10_000, 100_000];

    private static readonly (string Case, string? SortBy, string? SortOrder, bool Prefixed)[] Cases =
    [
        ("no filter (CreatedDate asc)", null, null, false),
        ("SortBy=created-date desc", "created-date", "desc", false),
        ("SortBy=last-changed-date desc", "last-changed-date", "desc", false),
        ("name prefix, SortBy=name", "name", null, true),
    ];

    public static async Task RunAsync(Report report)
    {
        var store = new InMemorySecretStore();
        var cipher = new SecretCipher(new KeyWrapperRegistry(new EncryptionOptions { LocalKey = Convert.ToBase64String(new byte[32]) }), new DataKeyCache());
        var deps = new OperationDependencies(store, store, cipher, new ServiceOptions(), TimeProvider.System, new AllowAllAuthorizer(), NullLoggerFactory.Instance);
        var handler = new ListSecretsHandler(deps);
        var rows = new List<string[]>();
        var smallest = new Dictionary<string, double>(StringComparer.Ordinal);
        var seeded = 0;
        foreach (var size in Sizes)
        {
            for (; seeded < size; seeded++)
            {
                await store.CreateAsync(Record(seeded), [], CancellationToken.None);
            }

            // Seeding's garbage is not the listing's cost.
            GC.Collect();
            GC.WaitForPendingFinalizers();

            if (rows.Count == 0)
            {
                // Tier-1 JIT first, so no size is measured on tier-0 code (~10x slower): calls
                // enough to promote every method, then time for the background compiler.
                var warming = Stopwatch.StartNew();
                for (var warm = 0; warming.Elapsed < WarmUp; warm++)
                {
                    if (warm % 100 == 99)
                    {
                        await Task.Delay(250);
                    }

                    foreach (var (_, sortBy, sortOrder, prefixed) in Cases)
                    {
                        var request = new ListSecretsRequest { SortBy = sortBy, SortOrder = sortOrder, Filters = prefixed ? [new Filter { Key = "name", Values = [Prefix] }] : null };
                        var token = await TokenHalfwayAsync(handler, request, seeded);
                        await handler.ExecuteAsync(new ListSecretsRequest { SortBy = sortBy, SortOrder = sortOrder, Filters = request.Filters, NextToken = token }, Context(), CancellationToken.None);
                    }
                }
            }

            foreach (var (name, sortBy, sortOrder, prefixed) in Cases)
            {
                var request = new ListSecretsRequest { SortBy = sortBy, SortOrder = sortOrder, Filters = prefixed ? [new Filter { Key = "name", Values = [Prefix] }] : null };
                var first = await TimeAsync(handler, request);

                // The middle page: walk there once with the service's own tokens, then time it.
                var token = await TokenHalfwayAsync(handler, request, prefixed ? Math.Min(seeded, 1_000) : seeded);
                var middle = await TimeAsync(handler, new ListSecretsRequest { SortBy = sortBy, SortOrder = sortOrder, Filters = request.Filters, NextToken = token });
                rows.Add([Report.N(seeded), name, Report.N(first, 3), Report.N(middle, 3), Report.N(first / smallest.GetValueOrDefault(name, first), 2) + "×"]);
                smallest.TryAdd(name, first);
                Report.Progress($"in-memory ListSecrets at {seeded}, {name}: first {first:F3} ms, middle {middle:F3} ms");
            }
        }

        // Each series runs in a no-GC region: a page allocates the same at every size, and a
        // background collection of the seeded heap would otherwise land on some series and not
        // others. What remains size-independent noise is the first touch of memory the GC has
        // not used yet (~0.5 ms per page of kernel page faults while the heap is small).
        report.Table(["secrets (in-memory store)", "ListSecrets", "first page p50 ms", "middle page p50 ms", "first page vs 1,000"], rows);
    }

    private static SecretRecord Record(int i)
    {
        var created = SeedBase.AddSeconds(i * 7919L % 1_000_003);
        var record = new SecretRecord
        {
            Name = $"scale-{i:D6}",
            ArnSuffix = "abcdef",
            CreatedDate = created,
            LastChangedDate = created.AddMinutes(i % 97),
        };
        record.Versions[$"v-{i}"] = new VersionEntry { CreatedDate = created, Stages = [StagingLabels.Current] };
        return record;
    }

    private static async Task<double> TimeAsync(ListSecretsHandler handler, ListSecretsRequest request)
    {
        var latencies = new double[Calls];

        // A page allocates the same whatever the store's size, but a background collection of
        // the seeded heap (100,000 secrets) landing in a series would be billed to its pages.
        var noGc = GC.TryStartNoGCRegion(NoGcBudget);
        for (var i = 0; i < Calls; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var page = await handler.ExecuteAsync(request, Context(), CancellationToken.None);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (page.SecretList is not { Count: 100 })
            {
                throw new InvalidOperationException($"A page of {page.SecretList?.Count} entries, not 100.");
            }
        }

        if (noGc && System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
        {
            GC.EndNoGCRegion();
        }

        Array.Sort(latencies);
        return latencies[Calls / 2];
    }

    private static async Task<string?> TokenHalfwayAsync(ListSecretsHandler handler, ListSecretsRequest request, int matches)
    {
        string? token = null;
        for (var pages = matches / 100 / 2; pages > 0; pages--)
        {
            var page = await handler.ExecuteAsync(new ListSecretsRequest { SortBy = request.SortBy, SortOrder = request.SortOrder, Filters = request.Filters, NextToken = token }, Context(), CancellationToken.None);
            token = page.NextToken;
        }

        return token;
    }

    private static RequestContext Context() => new() { RequestId = "bench", Operation = "ListSecrets" };
}
