using Azure.Data.Tables;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Jobs;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;
using FuncSecrets.IntegrationTests.Support;
using static FuncSecrets.IntegrationTests.Tables.TableListIndexRepairTests;
using static FuncSecrets.IntegrationTests.Tables.TableStoreTestData;

namespace FuncSecrets.IntegrationTests.Tables;

/// <summary>
/// The cheaper write path of the listing index (issue 13, write cost): step one of concurrent
/// writes shares transactions, step two (confirm and delete) is queued off the answer, and the
/// purge timer sweeps what no reader meets. Each new crash window is written as it would be left.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableListIndexWriteTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T1 = Created.AddHours(1);
    private static readonly DateTimeOffset T2 = Created.AddHours(2);

    [Fact]
    public async Task Writes_ManyConcurrent_EverySecretListedOnceAndEveryRowConfirmed()
    {
        var store = await NewStoreAsync(azurite, "group");
        var names = Enumerable.Range(0, 24).Select(i => $"g/{i:D2}").ToList();
        await Task.WhenAll(names.Select(name => CreateAsync(store, name, T1)));

        // Every secret written twice more at once, so step one and step two of different
        // writes share transactions, and a secret's second write follows its first.
        foreach (var round in new[] { 1, 2 })
        {
            await Task.WhenAll(names.Select(async name =>
            {
                var record = (await store.GetAsync(name, default))!;
                record.LastChangedDate = T2.AddMinutes(round);
                record.Description = $"round {round}";
                Assert.True(await store.TryUpdateAsync(record, [], [], default));
            }));
        }

        Assert.Equal(names, await ListAsync(store, SecretSortKey.LastChangedDate, descending: false));
        var rows = (await IndexRowsAsync(store)).Where(r => r.PartitionKey != "marker").ToList();
        Assert.Equal(names.Count * 8, rows.Count);
        foreach (var name in names)
        {
            var etag = (await store.GetAsync(name, default))!.ETag;
            Assert.All(rows.Where(r => r.GetString("Name") == name), r =>
            {
                Assert.True(r.GetBoolean("Confirmed"));
                Assert.Equal(etag, r.GetString("MetaETag"));
                Assert.Equal("round 2", r.GetString("Description"));
            });
        }
    }

    [Fact]
    public async Task Writes_OneSecretBackToBack_QueuedConfirmationsSupersededAndTheLastOneConfirmed()
    {
        var store = await NewStoreAsync(azurite, "backtoback");
        await CreateAsync(store, "b/1", T1);
        var record = (await store.GetAsync("b/1", default))!;

        // Each write's step one comes while the one before may still have its step two queued.
        for (var i = 1; i <= 12; i++)
        {
            record.LastChangedDate = T2.AddMinutes(i);
            record.Description = $"write {i}";
            Assert.True(await store.TryUpdateAsync(record, [], [], default));
            Assert.Equal(["b/1"], await ListAsync(store, SecretSortKey.LastChangedDate, descending: true));
        }

        var rows = (await IndexRowsAsync(store)).Where(r => r.PartitionKey != "marker").ToList();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.True(r.GetBoolean("Confirmed"));
            Assert.Equal(record.ETag, r.GetString("MetaETag"));
            Assert.Equal("write 12", r.GetString("Description"));
        });
    }

    [Fact]
    public async Task ListOrderedAsync_CrashWithConfirmationsQueued_ListedOnceAtNewPlaceThenSwept()
    {
        var store = await NewStoreAsync(azurite, "queued");
        await CreateAsync(store, "q/a", T1);
        await CreateAsync(store, "q/b", T2);
        await store.FlushListIndexAsync();

        // The process dies with the confirmations of a committed write still queued.
        store.DropConfirmations = true;
        var record = (await store.GetAsync("q/a", default))!;
        record.LastChangedDate = T2.AddHours(1);
        record.Description = "committed";
        Assert.True(await store.TryUpdateAsync(record, [], [], default));

        var restarted = await ReopenAsync(azurite, store);
        Assert.Equal(["q/b", "q/a"], await ListAsync(restarted, SecretSortKey.LastChangedDate, descending: false));
        Assert.Equal(["q/a", "q/b"], await ListAsync(restarted, SecretSortKey.LastChangedDate, descending: true));
        Assert.Equal(["q/a", "q/b"], await ListAsync(restarted, SecretSortKey.Name, descending: false));
        Assert.Contains(await IndexRowsAsync(restarted), r => r.GetBoolean("Confirmed") == false);

        // No reader needed: the purge timer's sweep settles every row once the grace has passed.
        restarted.StaleRowGrace = TimeSpan.Zero;
        await new PurgeDeletedSecretsJob(restarted, restarted, TimeProvider.System).RunOnceAsync(default);

        var rows = (await IndexRowsAsync(restarted)).Where(r => r.GetString("Name") == "q/a").ToList();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.True(r.GetBoolean("Confirmed"));
            Assert.Equal("committed", r.GetString("Description"));
        });
    }

    [Fact]
    public async Task SweepListIndexAsync_RowsACrashLeft_SettledWithoutAnyListing()
    {
        var store = await NewStoreAsync(azurite, "sweep");
        await CreateAsync(store, "s/kept", T1);
        await CreateAsync(store, "s/moved", T1);

        // Crashed create (rows, no secret), and a crashed update's new rows beside the committed state.
        await WriteRowsAsync(store, MinimalRecord("s/never", Version("v1")));
        var uncommitted = (await store.GetAsync("s/moved", default))!;
        uncommitted.LastChangedDate = T2;
        await WriteRowsAsync(store, uncommitted);

        // Younger than the grace: left for writers that may still be in flight.
        Assert.Equal(0, await store.SweepListIndexAsync(1_000, default));
        Assert.Contains("s/never", (await IndexRowsAsync(store)).Select(r => r.GetString("Name")));

        store.StaleRowGrace = TimeSpan.Zero;
        // 8 rows of the secret that never was, deleted; the uncommitted write's 8: the 6 whose
        // key the committed state shares confirmed with its copy, the 2 it moved deleted.
        Assert.Equal(16, await store.SweepListIndexAsync(1_000, default));

        var rows = (await IndexRowsAsync(store)).Where(r => r.PartitionKey != "marker").ToList();
        Assert.DoesNotContain(rows, r => r.GetString("Name") == "s/never");
        Assert.Equal(16, rows.Count);
        Assert.All(rows, r => Assert.True(r.GetBoolean("Confirmed")));
        Assert.Equal(0, await store.SweepListIndexAsync(1_000, default));
    }

    [Fact]
    public async Task SweepListIndexAsync_MoreRowsThanTheBound_ExaminesOnlyTheBound()
    {
        var store = await NewStoreAsync(azurite, "sweepcap");
        store.StaleRowGrace = TimeSpan.Zero;
        foreach (var name in new[] { "c/1", "c/2", "c/3" })
        {
            await WriteRowsAsync(store, MinimalRecord(name, Version("v1")));
        }

        Assert.Equal(10, await store.SweepListIndexAsync(10, default));
        Assert.Equal(14, (await IndexRowsAsync(store)).Count(r => r.PartitionKey != "marker"));
        Assert.Equal(14, await store.SweepListIndexAsync(1_000, default));
        Assert.DoesNotContain(await IndexRowsAsync(store), r => r.PartitionKey != "marker");
    }

    [Fact]
    public async Task TryUpdateAsync_DeleteScheduledThenRestoredAtOnce_LateConfirmationsCannotRemoveTheNewRows()
    {
        var store = await NewStoreAsync(azurite, "toggle");
        await CreateAsync(store, "t/1", T1);

        // Two writes back to back: the second's rows (same keys as the first's old ones) are
        // written while the first's deletions may still be queued; ETag conditions order them.
        var record = (await store.GetAsync("t/1", default))!;
        record.DeletedDate = T2;
        Assert.True(await store.TryUpdateAsync(record, [], [], default));
        record.DeletedDate = null;
        Assert.True(await store.TryUpdateAsync(record, [], [], default));

        var rows = (await IndexRowsAsync(store)).Where(r => r.GetString("Name") == "t/1").ToList();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal("live", r.PartitionKey);
            Assert.True(r.GetBoolean("Confirmed"));
        });
        foreach (var sortBy in Enum.GetValues<SecretSortKey>())
        {
            Assert.Equal(["t/1"], await ListAsync(store, sortBy, descending: false));
        }
    }
}
