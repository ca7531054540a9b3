using FuncSecrets.Core.Storage;
using FuncSecrets.StoreContract;

namespace FuncSecrets.UnitTests.Storage;

/// <summary>The in-memory store meets the store contract the Table store meets on Azurite.</summary>
public sealed class InMemorySecretStoreTests : SecretStoreContract
{
    protected override Task<(ISecretStore Secrets, IDueIndex Due)> NewStoreAsync(string prefix, int? pageSize = null)
    {
        var store = new InMemorySecretStore();
        return Task.FromResult<(ISecretStore, IDueIndex)>((store, store));
    }
}
