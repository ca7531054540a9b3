using FuncSecrets.Core.Storage;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.StoreContract;

namespace FuncSecrets.IntegrationTests.Tables;

/// <summary>The Table store on Azurite meets the store contract the in-memory store meets (issue 12).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableSecretStoreContractTests(AzuriteFixture azurite) : SecretStoreContract
{
    protected override async Task<(ISecretStore Secrets, IDueIndex Due)> NewStoreAsync(string prefix, int? pageSize = null)
    {
        var store = await TableStoreTestData.NewStoreAsync(azurite, "contract" + prefix, pageSize);
        return (store, store);
    }
}
