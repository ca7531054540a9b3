using FuncSecrets.Azure.Tables;
using FuncSecrets.IntegrationTests.Support;
using static FuncSecrets.IntegrationTests.Tables.TableStoreTestData;

namespace FuncSecrets.IntegrationTests.Tables;

/// <summary>
/// Listing (with continuations) with every field. The due-time index cases run on both stores in
/// the store contract (TableSecretStoreContractTests).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableSecretStoreIndexTests(AzuriteFixture azurite)
{
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
}
