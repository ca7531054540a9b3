using FuncSecrets.Azure.KeyVault;
using FuncSecrets.Core;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Replication;
using FuncSecrets.Core.Services;
using FuncSecrets.IntegrationTests.KeyVault;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.IntegrationTests.Tables;
using Microsoft.Extensions.Logging.Abstractions;

namespace FuncSecrets.IntegrationTests.Replication;

/// <summary>
/// Replication as Azure runs it (issue 14): the peer Region's table in Table Storage (Azurite) and
/// its wrapping key in Key Vault (the fake vault, real RSA): the replica is sealed under the peer's
/// vault key and read back by the peer's own cipher, which knows nothing of the primary's key.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ReplicationToKeyVaultRegionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly DataKeyCache _eastCache = new();
    private FakeKeyVaultServer _vault = null!;
    private OperationDependencies _east = null!;
    private OperationDependencies _west = null!;

    public async Task InitializeAsync()
    {
        _vault = await FakeKeyVaultServer.StartAsync();
        var eastStore = await TableStoreTestData.NewStoreAsync(azurite, "repleast");
        var westStore = await TableStoreTestData.NewStoreAsync(azurite, "replwest");
        var eastCipher = new SecretCipher(new KeyWrapperRegistry(new EncryptionOptions { LocalKey = Convert.ToBase64String(new byte[32]) }), _eastCache);
        var westCipher = SecretCipherFactory.Create(
            new EncryptionOptions { DefaultKey = _vault.KeyUri },
            new KeyVaultOptions(),
            new KeyVaultKeyWrapperAgainstFakeKeyVaultTests.StaticCredential(FakeKeyVaultServer.Token),
            transport: _vault.CreateTransport());
        var westOptions = new ServiceOptions { Region = "eu-west-1" };
        _east = new OperationDependencies(eastStore, eastStore, eastCipher, new ServiceOptions(), TimeProvider.System, new AllowAllAuthorizer(), NullLoggerFactory.Instance)
        {
            Peers = new ReplicationPeers([new ReplicationPeer("eu-west-1", westStore, westCipher, westOptions)]),
        };
        _west = new OperationDependencies(westStore, westStore, westCipher, westOptions, TimeProvider.System, new AllowAllAuthorizer(), NullLoggerFactory.Instance);
    }

    public async Task DisposeAsync()
    {
        _eastCache.Dispose();
        await _vault.DisposeAsync();
    }

    [Fact]
    public async Task ReplicaInTableStorage_SealedUnderThePeersVaultKey_ReadsAndFollowsThere()
    {
        await new CreateSecretHandler(_east).ExecuteAsync(
            new CreateSecretRequest { Name = "kv/app", SecretString = "first", ClientRequestToken = new string('a', 32), AddReplicaRegions = [new ReplicaRegion("eu-west-1", null)] },
            Context("CreateSecret"),
            default);
        await new PutSecretValueHandler(_east).ExecuteAsync(
            new PutSecretValueRequest { SecretId = "kv/app", SecretString = "second", ClientRequestToken = new string('b', 32) },
            Context("PutSecretValue"),
            default);

        var replica = (await _west.Store.GetAsync("kv/app", default))!;
        Assert.StartsWith(_vault.KeyUri + "/", replica.CurrentValue!.KeyId, StringComparison.Ordinal);
        Assert.Equal("us-east-1", replica.PrimaryRegion);
        Assert.Contains(_vault.Requests, r => r.Path.EndsWith("/wrapkey", StringComparison.Ordinal));
        var read = await new GetSecretValueHandler(_west, new AccessRecorder(_west)).ExecuteAsync(new GetSecretValueRequest { SecretId = "kv/app" }, Context("GetSecretValue"), default);
        Assert.Equal("second", read.SecretString);
        var status = Assert.Single((await new DescribeSecretHandler(_east).ExecuteAsync(new DescribeSecretRequest { SecretId = "kv/app" }, Context("DescribeSecret"), default)).ReplicationStatus!);
        Assert.Equal("InSync", status.Status);
    }

    [Fact]
    public async Task PeerVaultDown_PrimaryWriteSucceeds_ReplicaFailedWithTheKeyReason()
    {
        await new CreateSecretHandler(_east).ExecuteAsync(
            new CreateSecretRequest { Name = "kv/down", SecretString = "first", ClientRequestToken = new string('a', 32), AddReplicaRegions = [new ReplicaRegion("eu-west-1", null)] },
            Context("CreateSecret"),
            default);
        await _vault.StopAsync();

        await new PutSecretValueHandler(_east).ExecuteAsync(
            new PutSecretValueRequest { SecretId = "kv/down", SecretString = "second", ClientRequestToken = new string('b', 32) },
            Context("PutSecretValue"),
            default);

        var status = Assert.Single((await new DescribeSecretHandler(_east).ExecuteAsync(new DescribeSecretRequest { SecretId = "kv/down" }, Context("DescribeSecret"), default)).ReplicationStatus!);
        Assert.Equal(("Failed", "Replication failed: the KMS key of Region eu-west-1 could not encrypt the secret."), (status.Status, status.StatusMessage));
        Assert.Single(await _east.DueIndex.ListDueAsync(Replicator.Index, DateTimeOffset.MaxValue, 10, default));
    }

    private static RequestContext Context(string operation) => new() { RequestId = Guid.NewGuid().ToString(), Operation = operation };
}
