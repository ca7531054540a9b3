using System.Security.Cryptography;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Replication;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.StoreContract;

/// <summary>
/// What every implementation of <see cref="ISecretStore"/> and <see cref="IDueIndex"/> promises
/// (issue 12). One copy of this file is compiled into the unit tests (the in-memory store) and
/// into the integration tests (the Table store on Azurite), so both meet the same contract.
/// </summary>
public abstract partial class SecretStoreContract
{
    private static readonly DateTimeOffset T0 = new(2024, 8, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A fresh, empty store serving both seams; <paramref name="pageSize"/> is a listing page hint.</summary>
    protected abstract Task<(ISecretStore Secrets, IDueIndex Due)> NewStoreAsync(string prefix, int? pageSize = null);

    [Fact]
    public async Task CreateAsync_NewName_GetReturnsRecordWithETagAndValue()
    {
        var (store, _) = await NewStoreAsync("create");
        var version = Version("v1");
        var record = Record("app/db", version);

        Assert.True(await store.CreateAsync(record, [version], default));

        var read = await store.GetAsync("app/db", default);
        Assert.NotNull(read);
        Assert.Equal(record.ETag, read.ETag);
        Assert.Equal([StagingLabels.Current], read.Versions["v1"].Stages);
        AssertSealedEqual(version.Value, read.CurrentValue);
        AssertSealedEqual(version.Value, (await store.GetVersionAsync("app/db", "v1", default))?.Value);
    }

    [Fact]
    public async Task CreateAsync_ExistingName_ReturnsFalseAndKeepsTheFirst()
    {
        var (store, _) = await NewStoreAsync("exists");
        var first = Version("v1");
        Assert.True(await store.CreateAsync(Record("same", first), [first], default));

        var second = Version("v2");
        Assert.False(await store.CreateAsync(Record("same", second), [second], default));

        Assert.Equal(["v1"], (await store.GetAsync("same", default))!.Versions.Keys);
        Assert.Null(await store.GetVersionAsync("same", "v2", default));
    }

    [Fact]
    public async Task ReplicationColumns_RoundTripThroughGetAndList()
    {
        // Issue 14: a primary's replica list and a replica's primary Region are stored and listed.
        var (store, _) = await NewStoreAsync("replicas");
        var v1 = Version("v1");
        var primary = Record("primary", v1);
        primary.Replicas =
        [
            new("eu-west-1", null, ReplicaState.InSync, ReplicaState.SucceededMessage, T0, ForceOverwrite: false),
            new("ap-south-1", "alias/x", ReplicaState.Failed, "Replication failed: \"quoted\" \u00e9", null, ForceOverwrite: true),
        ];
        var v2 = Version("v2");
        var replica = Record("replica", v2);
        replica.PrimaryRegion = "us-east-1";
        Assert.True(await store.CreateAsync(primary, [v1], default));
        Assert.True(await store.CreateAsync(replica, [v2], default));

        Assert.Equal(primary.Replicas, (await store.GetAsync("primary", default))!.Replicas);
        Assert.Null((await store.GetAsync("primary", default))!.PrimaryRegion);
        Assert.Equal("us-east-1", (await store.GetAsync("replica", default))!.PrimaryRegion);
        Assert.Null((await store.GetAsync("replica", default))!.Replicas);
        var listed = new Dictionary<string, SecretRecord>();
        await foreach (var record in store.ListAsync(default))
        {
            listed[record.Name] = record;
        }

        Assert.Equal(primary.Replicas, listed["primary"].Replicas);
        Assert.Equal("us-east-1", listed["replica"].PrimaryRegion);
    }

    [Fact]
    public async Task GetAsync_UnknownName_ReturnsNull()
    {
        var (store, _) = await NewStoreAsync("unknown");

        Assert.Null(await store.GetAsync("nobody", default));
        Assert.Null(await store.GetVersionAsync("nobody", "v1", default));
        Assert.Empty(await store.ListVersionsAsync("nobody", default));
    }

    [Fact]
    public async Task TryUpdateAsync_CurrentETag_AppliesMetadataAddsAndRemovesTogether()
    {
        var (store, _) = await NewStoreAsync("update");
        var v1 = Version("v1");
        var record = Record("tx", v1);
        Assert.True(await store.CreateAsync(record, [v1], default));
        var before = record.ETag;

        var v2 = Version("v2");
        record.Description = "changed";
        record.Versions.Remove("v1");
        record.Versions["v2"] = new VersionEntry { CreatedDate = T0, Stages = [StagingLabels.Current] };
        record.CurrentValue = v2.Value;
        Assert.True(await store.TryUpdateAsync(record, [v2], ["v1"], default));

        Assert.NotEqual(before, record.ETag);
        var read = (await store.GetAsync("tx", default))!;
        Assert.Equal("changed", read.Description);
        Assert.Equal(record.ETag, read.ETag);
        AssertSealedEqual(v2.Value, read.CurrentValue);
        Assert.Equal(["v2"], (await store.ListVersionsAsync("tx", default)).Select(v => v.VersionId));
    }

    [Fact]
    public async Task TryUpdateAsync_StaleETag_ReturnsFalseAndWritesNothing()
    {
        var (store, _) = await NewStoreAsync("stale");
        var v1 = Version("v1");
        Assert.True(await store.CreateAsync(Record("race", v1), [v1], default));
        var mine = (await store.GetAsync("race", default))!;
        var theirs = (await store.GetAsync("race", default))!;
        var originalETag = mine.ETag;

        theirs.Description = "theirs";
        mine.Description = "mine";
        var added = Version("v2");
        Assert.True(await store.TryUpdateAsync(theirs, [], [], default));
        Assert.False(await store.TryUpdateAsync(mine, [added], ["v1"], default));

        Assert.Equal(originalETag, mine.ETag);
        Assert.Equal("theirs", (await store.GetAsync("race", default))!.Description);
        Assert.Null(await store.GetVersionAsync("race", "v2", default));
        Assert.NotNull(await store.GetVersionAsync("race", "v1", default));
    }

    [Fact]
    public async Task TryUpdateAsync_TouchedSinceRead_ReturnsFalseThenSucceedsAfterReload()
    {
        var (store, _) = await NewStoreAsync("touched");
        var v1 = Version("v1");
        Assert.True(await store.CreateAsync(Record("touched", v1), [v1], default));
        var read = (await store.GetAsync("touched", default))!;

        await store.TouchAsync("touched", "v1", T0, default);
        read.Description = "after touch";
        Assert.False(await store.TryUpdateAsync(read, [], [], default));

        var reloaded = (await store.GetAsync("touched", default))!;
        Assert.Equal(T0, reloaded.LastAccessedDate);
        Assert.Equal(T0, (await store.GetVersionAsync("touched", "v1", default))!.LastAccessedDate);
        reloaded.Description = "after touch";
        Assert.True(await store.TryUpdateAsync(reloaded, [], [], default));
    }

    [Fact]
    public async Task TryUpdateAsync_SecretPurgedMeanwhile_ReturnsFalse()
    {
        var (store, _) = await NewStoreAsync("purged");
        var v1 = Version("v1");
        var record = Record("gone", v1);
        Assert.True(await store.CreateAsync(record, [v1], default));

        await store.DeleteAsync("gone", default);
        await store.DeleteAsync("gone", default);

        Assert.False(await store.TryUpdateAsync(record, [], [], default));
        Assert.Null(await store.GetAsync("gone", default));
        Assert.Empty(await store.ListVersionsAsync("gone", default));
    }

    [Fact]
    public async Task TryUpdateAsync_RecordNeverRead_Throws()
    {
        var (store, _) = await NewStoreAsync("noetag");

        await Assert.ThrowsAsync<ArgumentException>(() => store.TryUpdateAsync(Record("x", Version("v1")), [], [], default));
    }

    [Fact]
    public async Task TryUpdateAsync_MoreRowsThanOneTransaction_ThrowsAndWritesNothing()
    {
        var (store, _) = await NewStoreAsync("toobig");
        var v1 = Version("v1");
        var record = Record("big", v1);
        Assert.True(await store.CreateAsync(record, [v1], default));

        // The metadata row plus 100 versions is 101 rows: one over an entity-group transaction.
        var added = Enumerable.Range(0, 100).Select(i => Version($"n{i:D3}", Sealed(8))).ToList();
        await Assert.ThrowsAsync<ArgumentException>(() => store.TryUpdateAsync(record, added, [], default));

        Assert.Equal(["v1"], (await store.ListVersionsAsync("big", default)).Select(v => v.VersionId));
    }

    [Fact]
    public async Task TryUpdateAsync_ManyRemovals_RemovesThemAll()
    {
        var (store, _) = await NewStoreAsync("removals");
        var first = Enumerable.Range(0, 60).Select(i => Version($"a{i:D3}", Sealed(8))).ToList();
        var record = Record("many", first[0]);
        Assert.True(await store.CreateAsync(record, first, default));
        var second = Enumerable.Range(0, 60).Select(i => Version($"b{i:D3}", Sealed(8))).ToList();
        Assert.True(await store.TryUpdateAsync(record, second, [], default));

        // 120 rows to remove: more than one transaction holds beside the metadata row.
        var all = first.Concat(second).Select(v => v.VersionId).ToList();
        var kept = Version("kept");
        Assert.True(await store.TryUpdateAsync(record, [kept], all, default));

        Assert.Equal(["kept"], (await store.ListVersionsAsync("many", default)).Select(v => v.VersionId));
    }

    [Fact]
    public async Task CreateAsync_CiphertextOver64KiB_RoundTripsInMetadataAndVersionRow()
    {
        var (store, _) = await NewStoreAsync("large");
        // 65,553 bytes: a 64 KiB secret with its tag and prefix, one property's worth plus 17.
        var version = Version("v1", Sealed(65_553));
        Assert.True(await store.CreateAsync(Record("large", version), [version], default));

        AssertSealedEqual(version.Value, (await store.GetAsync("large", default))!.CurrentValue);
        AssertSealedEqual(version.Value, (await store.GetVersionAsync("large", "v1", default))!.Value);
    }

    [Fact]
    public async Task ListAsync_MorePagesThanPageSize_ListsEverySecretWithoutSealedValues()
    {
        var (store, _) = await NewStoreAsync("list", pageSize: 2);
        var names = Enumerable.Range(0, 7).Select(i => $"list/secret-{i}").ToList();
        foreach (var name in names)
        {
            var version = Version("v1");
            Assert.True(await store.CreateAsync(Record(name, version), [version], default));
        }

        var listed = new List<SecretRecord>();
        await foreach (var record in store.ListAsync(default))
        {
            listed.Add(record);
        }

        Assert.Equal(names, listed.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(listed, r =>
        {
            Assert.Null(r.CurrentValue);
            Assert.NotNull(r.ETag);
            Assert.Single(r.Versions);
        });
        Assert.All(await store.ListVersionsAsync(names[0], default), v => Assert.Null(v.Value));
    }

    [Fact]
    public async Task ReadRecord_EditedByCaller_StoreUnchangedUntilWritten()
    {
        var (store, _) = await NewStoreAsync("copies");
        var v1 = Version("v1");
        Assert.True(await store.CreateAsync(Record("copy", v1), [v1], default));

        var read = (await store.GetAsync("copy", default))!;
        read.Description = "edited";
        read.Versions["v1"].Stages.Clear();

        var again = (await store.GetAsync("copy", default))!;
        Assert.Null(again.Description);
        Assert.Equal([StagingLabels.Current], again.Versions["v1"].Stages);
    }

    [Fact]
    public async Task ListDueAsync_EntriesAddedOutOfOrder_ReturnsDueOnesInDueOrder()
    {
        var (_, due) = await NewStoreAsync("due");
        await due.AddDueAsync("purge", T0.AddHours(3), "c/late", default);
        await due.AddDueAsync("purge", T0.AddHours(1), "a/first", default);
        await due.AddDueAsync("purge", T0.AddHours(2), "b+second", default);
        await due.AddDueAsync("purge", T0.AddHours(5), "d/not-yet", default);
        await due.AddDueAsync("rotate", T0, "other-index", default);

        var listed = await due.ListDueAsync("purge", T0.AddHours(3), 10, default);

        Assert.Equal(["a/first", "b+second", "c/late"], listed.Select(e => e.Name));
        Assert.Equal([T0.AddHours(1), T0.AddHours(2), T0.AddHours(3)], listed.Select(e => e.Due));
        Assert.All(listed, e => Assert.Equal("purge", e.Index));
        Assert.Empty(await due.ListDueAsync("purge", T0, 0, default));
    }

    [Fact]
    public async Task ListDueAsync_MaxSmallerThanMatches_ReturnsTheEarliest()
    {
        var (_, due) = await NewStoreAsync("duemax");
        for (var i = 4; i >= 0; i--)
        {
            await due.AddDueAsync("rotate", T0.AddMinutes(i), $"s{i}", default);
        }

        Assert.Equal(["s0", "s1"], (await due.ListDueAsync("rotate", T0.AddDays(1), 2, default)).Select(e => e.Name));
    }

    [Fact]
    public async Task AddAndRemoveDue_Repeated_AreIdempotent()
    {
        var (_, due) = await NewStoreAsync("dueidem");
        await due.AddDueAsync("purge", T0, "team/app", default);
        await due.AddDueAsync("purge", T0, "team/app", default);
        await due.AddDueAsync("purge", T0, "team/other", default);
        var entry = (await due.ListDueAsync("purge", T0, 10, default)).Single(e => e.Name == "team/app");

        await due.RemoveDueAsync(entry, default);
        await due.RemoveDueAsync(entry, default);

        Assert.Equal(["team/other"], (await due.ListDueAsync("purge", T0, 10, default)).Select(e => e.Name));
    }

    private static SealedValue Sealed(int ciphertextLength = 48) =>
        new("local:kek-1", RandomNumberGenerator.GetBytes(40), RandomNumberGenerator.GetBytes(12), RandomNumberGenerator.GetBytes(ciphertextLength));

    private static StoredVersion Version(string id, SealedValue? value = null) => new()
    {
        VersionId = id,
        CreatedDate = T0,
        Value = value ?? Sealed(),
    };

    private static SecretRecord Record(string name, StoredVersion current, DateTimeOffset? created = null) => new()
    {
        Name = name,
        ArnSuffix = "AbC123",
        CreatedDate = created ?? T0,
        Versions = { [current.VersionId] = new VersionEntry { CreatedDate = current.CreatedDate, Stages = [StagingLabels.Current] } },
        CurrentValue = current.Value,
    };

    /// <summary>Field by field: a sealed value has no value equality (byte arrays).</summary>
    public static void AssertSealedEqual(SealedValue? expected, SealedValue? actual)
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected.KeyId, actual.KeyId);
        Assert.Equal(expected.WrappedKey, actual.WrappedKey);
        Assert.Equal(expected.Nonce, actual.Nonce);
        Assert.Equal(expected.Ciphertext, actual.Ciphertext);
    }
}
