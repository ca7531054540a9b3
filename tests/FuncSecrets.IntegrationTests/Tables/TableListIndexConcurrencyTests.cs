using FuncSecrets.Core.Storage;
using FuncSecrets.IntegrationTests.Support;
using static FuncSecrets.IntegrationTests.Tables.TableStoreTestData;

namespace FuncSecrets.IntegrationTests.Tables;

/// <summary>Many writers at once keep the listing index whole (issue 13).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableListIndexConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CreateAsync_SixteenAtOnce_EveryOneListedOnce()
    {
        var store = await NewStoreAsync(azurite, "parallel");
        var names = Enumerable.Range(0, 64).Select(i => $"par/{i:D2}").ToList();

        await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (name, _) =>
        {
            var version = Version("v1");
            Assert.True(await store.CreateAsync(MinimalRecord(name, version), [version], default));
        });

        var listed = new List<string>();
        await foreach (var record in store.ListOrderedAsync(new SecretListQuery(SecretSortKey.Name, false, null, false, null, 20), default))
        {
            listed.Add(record.Name);
        }

        Assert.Equal(names, listed);
    }
}
