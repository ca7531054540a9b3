using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Storage;
using FuncSecrets.IntegrationTests.Support;
using static FuncSecrets.IntegrationTests.Tables.TableStoreTestData;

namespace FuncSecrets.IntegrationTests.Tables;

/// <summary>Listing (with continuations) and the due-time indexes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableSecretStoreIndexTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2024, 8, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ListAsync_MorePagesThanPageSize_FollowsContinuationsAndSkipsSealedValues()
    {
        var store = await NewStoreAsync(azurite, "list", pageSize: 2);
        var names = Enumerable.Range(0, 7).Select(i => $"list/secret-{i}").ToList();
        foreach (var name in names)
        {
            var version = Version("v1");
            Assert.True(await store.CreateAsync(FullRecord(name, version), [version], default));
        }

        var listed = new List<FuncSecrets.Core.Model.SecretRecord>();
        await foreach (var record in store.ListAsync(default))
        {
            listed.Add(record);
        }

        Assert.Equal(names.Order(StringComparer.Ordinal), listed.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(listed, r =>
        {
            Assert.Null(r.CurrentValue);
            Assert.NotNull(r.ETag);
            Assert.Equal("AbC123", r.ArnSuffix);
            Assert.Equal(2, r.Tags!.Count);
            Assert.Single(r.Versions);
        });
    }

    [Fact]
    public async Task ListAsync_EmptyTable_YieldsNothing()
    {
        var store = await NewStoreAsync(azurite, "empty");

        await foreach (var record in store.ListAsync(default))
        {
            Assert.Fail($"Unexpected record {record.Name}.");
        }
    }

    [Fact]
    public async Task ListDueAsync_EntriesAddedOutOfOrder_ReturnsDueOnesInDueOrder()
    {
        var store = await NewStoreAsync(azurite, "due");
        await store.AddDueAsync("purge", T0.AddHours(3), "c/late", default);
        await store.AddDueAsync("purge", T0.AddHours(1), "a/first", default);
        await store.AddDueAsync("purge", T0.AddHours(2), "b+second", default);
        await store.AddDueAsync("purge", T0.AddHours(5), "d/not-yet", default);
        await store.AddDueAsync("rotate", T0, "other-index", default);

        var due = await store.ListDueAsync("purge", T0.AddHours(3), 10, default);

        Assert.Equal(
            [new DueEntry("purge", T0.AddHours(1), "a/first"), new DueEntry("purge", T0.AddHours(2), "b+second"), new DueEntry("purge", T0.AddHours(3), "c/late")],
            due);
    }

    [Fact]
    public async Task ListDueAsync_MaxSmallerThanMatches_ReturnsTheEarliest()
    {
        var store = await NewStoreAsync(azurite, "duemax");
        for (var i = 5; i >= 1; i--)
        {
            await store.AddDueAsync("rotate", T0.AddMinutes(i), $"s{i}", default);
        }

        var due = await store.ListDueAsync("rotate", T0.AddDays(1), 2, default);

        Assert.Equal(["s1", "s2"], due.Select(e => e.Name));
    }

    [Fact]
    public async Task AddDueAsync_SameEntryTwice_IsOneEntry()
    {
        var store = await NewStoreAsync(azurite, "dueonce");
        await store.AddDueAsync("purge", T0, "twice", default);
        await store.AddDueAsync("purge", T0, "twice", default);

        Assert.Single(await store.ListDueAsync("purge", T0, 10, default));
    }

    [Fact]
    public async Task RemoveDueAsync_ListedEntry_RemovesItAndIsIdempotent()
    {
        var store = await NewStoreAsync(azurite, "dueremove");
        var due = T0.AddTicks(1_234_567);
        await store.AddDueAsync("purge", due, "team/app", default);
        await store.AddDueAsync("purge", due, "team/other", default);
        var entry = (await store.ListDueAsync("purge", due, 10, default)).Single(e => e.Name == "team/app");

        await store.RemoveDueAsync(entry, default);
        await store.RemoveDueAsync(entry, default);

        Assert.Equal(["team/other"], (await store.ListDueAsync("purge", due, 10, default)).Select(e => e.Name));
    }
}
