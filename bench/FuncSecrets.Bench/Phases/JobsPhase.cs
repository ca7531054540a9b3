using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using FuncSecrets.Bench.Infra;
using FuncSecrets.Bench.Load;
using FuncSecrets.Core.Jobs;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Rotation;
using FuncSecrets.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.Bench.Phases;

/// <summary>
/// How a purge tick and a rotation tick grow with the number of secrets stored, with 10 due. At
/// each size N the store holds N secrets (metadata rows written straight through ISecretStore)
/// and both due indexes hold an entry for each of them, due a year out: the worst case, where
/// every secret is scheduled. Then 10 secrets are deleted and 10 get a rotation schedule through
/// the API, the clock moves 8 days on, and each job's RunOnceAsync is timed: the tick with the
/// 10 due, then an idle tick with nothing due.
/// </summary>
public sealed class JobsPhase(AzuriteProcess azurite, BenchOptions options, Report report)
{
    private const int Due = 10;
    private const int SeedParallelism = 64;

    /// <summary>RotationWrites.Index (internal to Core): the rotation index's partition.</summary>
    private const string RotateIndex = "rotate";

    public async Task RunAsync()
    {
        var rows = new List<string[]>();
        foreach (var size in options.JobSizes)
        {
            rows.Add(await RunSizeAsync(size));
        }

        report.Table(
            ["secrets stored", "index entries", "seeding s", "purge tick (10 due) ms", "purged/examined", "storage calls", "idle purge tick ms", "storage calls",
                "rotation tick (10 due) ms", "rotated/examined", "storage calls", "idle rotation tick ms", "storage calls"],
            rows);
    }

    /// <summary>
    /// The filler secrets: the first written through the store (so its metadata row is exactly
    /// what the service writes), the rest as copies of that row under their own names and
    /// partitions (see <see cref="MetaRowCopier"/>).
    /// </summary>
    private static async Task SeedSecretsAsync(RawTableClient table, ISecretStore store, int filler, DateTimeOffset now)
    {
        if (filler <= 0)
        {
            return;
        }

        await store.CreateAsync(new SecretRecord { Name = FillerName(0), ArnSuffix = "AbCdEf", CreatedDate = now }, [], CancellationToken.None);
        await MetaRowCopier.CopyAsync(table, FillerName(0), [.. Enumerable.Range(1, filler - 1).Select(FillerName)]);
        if (await store.GetAsync(FillerName(filler - 1), CancellationToken.None) is null)
        {
            throw new InvalidOperationException("A copied filler row does not read back through the store.");
        }
    }

    /// <summary>
    /// A due-index entry per filler secret in both indexes, 100 to a transaction (one index is one
    /// partition). The row layout mirrors TableSecretStore's (19-digit UTC ticks, '_', the name),
    /// and is checked by reading one entry back through the store: a mismatch stops the run.
    /// </summary>
    private static async Task SeedIndexAsync(RawTableClient table, IDueIndex dueIndex, int filler, DateTimeOffset due)
    {
        foreach (var index in new[] { DeleteSecretHandler.PurgeIndex, RotateIndex })
        {
            var chunks = Enumerable.Range(0, filler).Chunk(100).ToList();
            await ApiClient.ForEachAsync(chunks.Count, 8, c => table.InsertBatchAsync([.. chunks[c].Select(i => new TableEntity(index, due.AddSeconds(i).UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "_" + FillerName(i))
            {
                ["Name"] = FillerName(i),
                ["Due"] = due.AddSeconds(i),
            })]));
            var first = await dueIndex.ListDueAsync(index, due.AddDays(1000), 1, CancellationToken.None);
            if (filler > 0 && (first.Count != 1 || first[0].Name != FillerName(0) || first[0].Due != due))
            {
                throw new InvalidOperationException($"The seeded {index} index does not read back as TableSecretStore's layout.");
            }
        }
    }

    /// <summary>One RunOnceAsync, and the storage requests it made (by HTTP method).</summary>
    private static async Task<(JobResult Result, string Calls)> TickAsync(IScheduledJob job, StorageRequestCounter requests)
    {
        var before = requests.Snapshot();
        var result = await job.RunOnceAsync(CancellationToken.None);
        return (result, StorageRequestCounter.Describe(StorageRequestCounter.Delta(before, requests.Snapshot())));
    }

    private static string FillerName(int i) => $"filler-{i:D6}";

    private async Task<string[]> RunSizeAsync(int size)
    {
        var settings = new BenchSettings(azurite, $"benchjobs{size}", options.ServiceSettings);
        var clock = new ShiftedTime();
        var (app, endpoint) = await InProcessApp.StartAsync(settings, clock, new Dictionary<string, string>
        {
            ["FuncSecrets:Jobs:StandaloneIntervalSeconds"] = "0",
        });
        await using (app)
        {
            var store = app.Services.GetRequiredService<ISecretStore>();
            var jobs = app.Services.GetServices<IScheduledJob>().ToList();
            var purge = jobs.Single(j => j.Name == PurgeDeletedSecretsJob.JobName);
            var rotate = jobs.Single(j => j.Name == RotateSecretsJob.JobName);

            var seeding = Stopwatch.StartNew();
            var now = clock.GetUtcNow();
            var filler = size - 2 * Due;
            using var http = LoadRunner.CreateClient(SeedParallelism);
            await SeedSecretsAsync(new RawTableClient(azurite, settings.TableName), store, filler, now);
            await SeedIndexAsync(new RawTableClient(azurite, settings.TableName + "due"), app.Services.GetRequiredService<IDueIndex>(), filler, now.AddDays(365));

            var api = new ApiClient(http, new RequestSigner(endpoint, settings.AccessKeyId, settings.SecretAccessKey));
            await ApiClient.ForEachAsync(Due, Due, async i =>
            {
                await api.OkAsync("CreateSecret", new { Name = $"due-purge-{i}", SecretString = "to be purged", ClientRequestToken = Guid.NewGuid().ToString() });
                await api.OkAsync("DeleteSecret", new { SecretId = $"due-purge-{i}", RecoveryWindowInDays = 7 });
                await api.OkAsync("CreateSecret", new { Name = $"due-rotate-{i}", SecretString = "old-password", ClientRequestToken = Guid.NewGuid().ToString() });
                await api.OkAsync("RotateSecret", new
                {
                    SecretId = $"due-rotate-{i}",
                    ClientRequestToken = Guid.NewGuid().ToString(),
                    RotationLambdaARN = RotationOptions.BuiltInPasswordFunction,
                    RotationRules = new { AutomaticallyAfterDays = 1 },
                    RotateImmediately = false,
                });
            });
            seeding.Stop();
            Report.Progress($"jobs N={size}: seeded in {seeding.Elapsed.TotalSeconds:F1} s");

            // Eight days on: past the 7-day recovery window and the 1-day rotation schedule.
            clock.Offset = TimeSpan.FromDays(8);
            using var requests = new StorageRequestCounter(azurite.Port);
            var (purged, purgeCalls) = await TickAsync(purge, requests);
            var (purgeIdle, purgeIdleCalls) = await TickAsync(purge, requests);
            var (rotated, rotateCalls) = await TickAsync(rotate, requests);
            var (rotateIdle, rotateIdleCalls) = await TickAsync(rotate, requests);
            Report.Progress($"jobs N={size}: purge {purged.Elapsed.TotalMilliseconds:F0} ms ({purged.Processed}; {purgeCalls}), rotate {rotated.Elapsed.TotalMilliseconds:F0} ms ({rotated.Processed}; {rotateCalls})");
            return
            [
                Report.N(size), Report.N(2 * (filler + Due)), Report.N(seeding.Elapsed.TotalSeconds, 1),
                Report.N(purged.Elapsed.TotalMilliseconds, 1), $"{purged.Processed}/{purged.Examined}", purgeCalls,
                Report.N(purgeIdle.Elapsed.TotalMilliseconds, 1), purgeIdleCalls,
                Report.N(rotated.Elapsed.TotalMilliseconds, 1), $"{rotated.Processed}/{rotated.Examined}", rotateCalls,
                Report.N(rotateIdle.Elapsed.TotalMilliseconds, 1), rotateIdleCalls,
            ];
        }
    }
}
