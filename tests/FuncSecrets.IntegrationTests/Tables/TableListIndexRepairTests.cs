using Azure.Data.Tables;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;
using FuncSecrets.IntegrationTests.Support;
using static FuncSecrets.IntegrationTests.Tables.TableStoreTestData;

namespace FuncSecrets.IntegrationTests.Tables;

/// <summary>
/// The listing index cannot share a transaction with the secret (another table), so a crash
/// between the two writes leaves rows out of step. Each test writes the rows such a crash leaves
/// (raw, as the store would have written them) and checks the listing still shows every secret
/// exactly once and repairs itself (issue 13).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableListIndexRepairTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T1 = Created.AddHours(1);
    private static readonly DateTimeOffset T2 = Created.AddHours(2);

    [Fact]
    public async Task ListOrderedAsync_CreateCrashedAfterIndexRows_SecretNotListedAndRowsDropped()
    {
        var store = await NewStoreAsync(azurite, "crashcreate");
        store.StaleRowGrace = TimeSpan.Zero;
        await CreateAsync(store, "kept", T1);
        var crashed = MinimalRecord("crashed", Version("v1"));
        await WriteRowsAsync(store, crashed);

        foreach (var sortBy in Enum.GetValues<SecretSortKey>())
        {
            Assert.Equal(["kept"], await ListAsync(store, sortBy, descending: sortBy == SecretSortKey.Name));
        }

        await ReadEveryOrderAsync(store);
        Assert.DoesNotContain("crashed", await IndexedNamesAsync(store));

        // The caller retries the create: it commits, and is listed once.
        var version = Version("v1");
        Assert.True(await store.CreateAsync(MinimalRecord("crashed", version), [version], default));
        Assert.Equal(["crashed", "kept"], await ListAsync(store, SecretSortKey.Name, descending: false));
    }

    [Fact]
    public async Task ListOrderedAsync_UpdateCrashedBeforeOldRowsRemoved_SecretListedOnceAtItsNewPlace()
    {
        var store = await NewStoreAsync(azurite, "crashold");
        store.StaleRowGrace = TimeSpan.Zero;
        await CreateAsync(store, "a", T1);
        await CreateAsync(store, "b", T2);
        var record = (await store.GetAsync("a", default))!;

        // The commit moved "a" after "b" and scheduled it for deletion; the old rows stayed.
        var old = record.Clone();
        record.LastChangedDate = T2.AddHours(1);
        record.DeletedDate = T2;
        Assert.True(await store.TryUpdateAsync(record, [], [], default));
        await WriteRowsAsync(store, old);

        Assert.Equal(["b"], await ListAsync(store, SecretSortKey.LastChangedDate, descending: false));
        Assert.Equal(["b", "a"], await ListAsync(store, SecretSortKey.LastChangedDate, descending: false, includeDeleted: true));
        Assert.Equal(["a", "b"], await ListAsync(store, SecretSortKey.Name, descending: false, includeDeleted: true));
        Assert.Equal(["b"], await ListAsync(store, SecretSortKey.CreatedDate, descending: true, prefixes: ["a", "b"]));

        // Once read, the stale rows are gone: each order holds "a" once, in the deleted partitions.
        await ReadEveryOrderAsync(store);
        var rows = await IndexRowsAsync(store);
        Assert.Equal(8, rows.Count(r => r.GetString("Name") == "a"));
        Assert.All(rows.Where(r => r.GetString("Name") == "a"), r => Assert.Equal("deleted", r.PartitionKey));
    }

    [Fact]
    public async Task ListOrderedAsync_UpdateCrashedBeforeCommit_ListedAtCommittedPlaceAndHintsRepaired()
    {
        var store = await NewStoreAsync(azurite, "crashnew");
        store.StaleRowGrace = TimeSpan.Zero;
        await CreateAsync(store, "p/a", T1);
        await CreateAsync(store, "p/b", T2);

        // The new rows of a change that never committed: "p/a" would have moved after "p/b".
        var uncommitted = (await store.GetAsync("p/a", default))!;
        uncommitted.LastChangedDate = T2.AddHours(1);
        await WriteRowsAsync(store, uncommitted);

        Assert.Equal(["p/a", "p/b"], await ListAsync(store, SecretSortKey.LastChangedDate, descending: false));
        Assert.Equal(["p/b", "p/a"], await ListAsync(store, SecretSortKey.LastChangedDate, descending: true, prefixes: ["p/"]));
        Assert.Equal(["p/a", "p/b"], await ListAsync(store, SecretSortKey.LastChangedDate, descending: false, prefixes: ["p/"]));

        // The name row's copy was put back to the committed state, and confirmed.
        var nameRow = (await IndexRowsAsync(store)).Single(r => r.PartitionKey == "live" && r.RowKey.StartsWith("name.a:", StringComparison.Ordinal) && r.GetString("Name") == "p/a");
        Assert.Equal(T1, nameRow.GetDateTimeOffset("LastChangedDate"));
        Assert.True(nameRow.GetBoolean("Confirmed"));
    }

    [Fact]
    public async Task ListOrderedAsync_CrashAfterCommitBeforeConfirm_ListedOnceFromMetadataThenConfirmed()
    {
        var store = await NewStoreAsync(azurite, "crashconfirm");
        store.StaleRowGrace = TimeSpan.Zero;
        await CreateAsync(store, "c/1", T1);
        var record = (await store.GetAsync("c/1", default))!;
        record.Description = "committed";
        Assert.True(await store.TryUpdateAsync(record, [], [], default));

        // The writer died before confirming: its rows are unconfirmed and hold an older copy.
        foreach (var row in await IndexRowsAsync(store))
        {
            row["Confirmed"] = false;
            row["Description"] = "not yet";
            await store.Client.UpsertEntityAsync(store.ListTableName, row, default);
        }

        var listed = new List<SecretRecord>();
        await foreach (var entry in store.ListOrderedAsync(new SecretListQuery(SecretSortKey.CreatedDate, false, null, false, null, 10), default))
        {
            listed.Add(entry);
        }

        Assert.Equal("committed", Assert.Single(listed).Description);
        var settled = (await IndexRowsAsync(store)).Single(r => r.PartitionKey == "live" && r.RowKey.StartsWith("created.a:", StringComparison.Ordinal));
        Assert.True(settled.GetBoolean("Confirmed"));
        Assert.Equal("committed", settled.GetString("Description"));
    }

    [Fact]
    public async Task ListOrderedAsync_UnconfirmedRowYoungerThanGrace_ListedFromMetadataAndLeftForItsWriter()
    {
        var store = await NewStoreAsync(azurite, "inflight");
        await CreateAsync(store, "w/1", T1);

        // A write in flight: its new rows are written, its commit has not happened yet.
        var uncommitted = (await store.GetAsync("w/1", default))!;
        uncommitted.LastChangedDate = T2;
        await WriteRowsAsync(store, uncommitted);

        Assert.Equal(["w/1"], await ListAsync(store, SecretSortKey.LastChangedDate, descending: false));
        Assert.Equal(4, (await IndexRowsAsync(store)).Count(r => r.RowKey.StartsWith("changed.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Writes_Committed_LeaveEveryRowConfirmedWithTheMetadataETag()
    {
        var store = await NewStoreAsync(azurite, "confirmed");
        await CreateAsync(store, "ok/1", T1);
        var record = (await store.GetAsync("ok/1", default))!;
        record.LastChangedDate = T2;
        Assert.True(await store.TryUpdateAsync(record, [], [], default));
        await store.TouchAsync("ok/1", "v1", T2.Date, default);
        var etag = (await store.GetAsync("ok/1", default))!.ETag;

        var rows = (await IndexRowsAsync(store)).Where(r => r.PartitionKey != "marker").ToList();
        Assert.Equal(8, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.True(r.GetBoolean("Confirmed"));
            Assert.Equal(etag, r.GetString("MetaETag"));
            Assert.Null(r.GetBinary("CurrentCiphertext"));
        });
    }

    [Fact]
    public async Task ListOrderedAsync_SecretsFromBeforeTheIndex_BackfilledOnFirstListing()
    {
        var store = await NewStoreAsync(azurite, "backfill");
        foreach (var (name, i) in new[] { "old/c", "old/a", "old/b" }.Select((n, i) => (n, i)))
        {
            await CreateAsync(store, name, T1, created: Created.AddMinutes(i));
        }

        // An older deployment: secrets, but no index rows and no marker.
        foreach (var row in await IndexRowsAsync(store))
        {
            await store.Client.DeleteEntityAsync(store.ListTableName, row.PartitionKey, row.RowKey, "*", default);
        }

        var restarted = await ReopenAsync(azurite, store);
        Assert.Equal(["old/c", "old/a", "old/b"], await ListAsync(restarted, SecretSortKey.CreatedDate, descending: false));
        Assert.Equal(["old/c", "old/b", "old/a"], await ListAsync(restarted, SecretSortKey.Name, descending: true, prefixes: ["old/"]));
        Assert.Equal(3 * 8, (await IndexRowsAsync(restarted)).Count(r => r.PartitionKey != "marker"));
    }

    [Fact]
    public async Task RebuildListIndexAsync_RowsLost_RestoresEveryOrderAndKeepsExactlyOnce()
    {
        var store = await NewStoreAsync(azurite, "rebuild");
        await CreateAsync(store, "r/1", T1);
        await CreateAsync(store, "r/2", T2);
        Assert.Equal(["r/1", "r/2"], await ListAsync(store, SecretSortKey.Name, descending: false));
        var lost = (await IndexRowsAsync(store)).Where(r => r.GetString("Name") == "r/2").ToList();
        foreach (var row in lost)
        {
            await store.Client.DeleteEntityAsync(store.ListTableName, row.PartitionKey, row.RowKey, "*", default);
        }

        Assert.Equal(["r/1"], await ListAsync(store, SecretSortKey.Name, descending: false));

        await store.RebuildListIndexAsync(default);
        await store.RebuildListIndexAsync(default);

        foreach (var sortBy in Enum.GetValues<SecretSortKey>())
        {
            Assert.Equal(["r/2", "r/1"], await ListAsync(store, sortBy, descending: true));
        }
    }

    [Fact]
    public async Task DeleteAsync_Purge_RemovesTheSecretsIndexRows()
    {
        var store = await NewStoreAsync(azurite, "purgerows");
        await CreateAsync(store, "gone", T1);
        await CreateAsync(store, "stays", T1);

        await store.DeleteAsync("gone", default);

        Assert.DoesNotContain("gone", await IndexedNamesAsync(store));
        Assert.Equal(["stays"], await ListAsync(store, SecretSortKey.LastChangedDate, descending: false, includeDeleted: true));
    }

    private static SecretRecord MinimalRecordAt(string name, DateTimeOffset changed)
    {
        var record = MinimalRecord(name, Version("v1"));
        record.LastChangedDate = changed;
        return record;
    }

    internal static async Task CreateAsync(TableSecretStore store, string name, DateTimeOffset changed, DateTimeOffset? created = null)
    {
        var version = Version("v1");
        var record = MinimalRecordAt(name, changed);
        var withCreated = created is null ? record : new SecretRecord
        {
            Name = record.Name,
            ArnSuffix = record.ArnSuffix,
            CreatedDate = created.Value,
            LastChangedDate = record.LastChangedDate,
            Versions = record.Versions,
            CurrentValue = version.Value,
        };
        Assert.True(await store.CreateAsync(withCreated, [version], default));
    }

    /// <summary>The rows the store writes for a state, written raw as a crashed writer left them.</summary>
    internal static async Task WriteRowsAsync(TableSecretStore store, SecretRecord state)
    {
        foreach (var row in store.IndexRows(state))
        {
            await store.Client.UpsertEntityAsync(store.ListTableName, row, default);
        }
    }

    /// <summary>Every index row, once the store's queued confirmations are sent.</summary>
    internal static async Task<List<TableEntity>> IndexRowsAsync(TableSecretStore store)
    {
        await store.FlushListIndexAsync();
        var rows = new List<TableEntity>();
        await foreach (var row in store.Client.QueryAsync(store.ListTableName, "PartitionKey ne ''", null, null, default))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static async Task<List<string>> IndexedNamesAsync(TableSecretStore store) =>
        [.. (await IndexRowsAsync(store)).Select(r => r.GetString("Name")).OfType<string>().Distinct()];

    /// <summary>Readers drop the stale rows they meet: this meets every row.</summary>
    private static async Task ReadEveryOrderAsync(ISecretStore store)
    {
        foreach (var sortBy in Enum.GetValues<SecretSortKey>())
        {
            await ListAsync(store, sortBy, descending: false, includeDeleted: true);
            await ListAsync(store, sortBy, descending: true, includeDeleted: true);
        }
    }

    internal static async Task<List<string>> ListAsync(ISecretStore store, SecretSortKey sortBy, bool descending, bool includeDeleted = false, IReadOnlyList<string>? prefixes = null)
    {
        var names = new List<string>();
        await foreach (var record in store.ListOrderedAsync(new SecretListQuery(sortBy, descending, prefixes, includeDeleted, null, 2), default))
        {
            names.Add(record.Name);
        }

        return names;
    }

    /// <summary>A second store over the same tables, as a restarted process opens them.</summary>
    internal static async Task<TableSecretStore> ReopenAsync(AzuriteFixture azurite, TableSecretStore store) =>
        await TableSecretStore.CreateAsync(
            new TableStoreOptions { ConnectionString = azurite.ConnectionString, TableName = store.TableName, DueTableName = store.DueTableName },
            credential: null,
            default);
}
