using FuncSecrets.Core;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Replication;
using FuncSecrets.Core.Services;
using FuncSecrets.Core.Storage;
using FuncSecrets.UnitTests.Operations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FuncSecrets.UnitTests.Replication;

/// <summary>
/// Two deployments on in-memory stores (issue 14): us-east-1 and eu-west-1, each with its own
/// tables and its own local wrapping key, each configured with the other as its peer. Every store
/// is reached through a <see cref="SwitchableStore"/>, so a test can take a Region's storage down
/// or make it hang (a process that dies mid-write).
/// </summary>
internal sealed class TwoRegionApi : IDisposable
{
    public const string East = "us-east-1";
    public const string West = "eu-west-1";

    private readonly DataKeyCache _eastCache = new();
    private readonly DataKeyCache _westCache = new();

    public TwoRegionApi(string westAliases = "alias/west=local")
    {
        var eastCipher = new SecretCipher(new KeyWrapperRegistry(new EncryptionOptions { LocalKey = Key(0x10) }), _eastCache);
        var westCipher = new SecretCipher(new KeyWrapperRegistry(new EncryptionOptions { LocalKey = Key(0x60), AliasMap = westAliases }), _westCache);
        EastStore = new SwitchableStore(EastMemory);
        WestStore = new SwitchableStore(WestMemory);
        var eastOptions = new ServiceOptions { Region = East };
        var westOptions = new ServiceOptions { Region = West };
        East1 = new OperationDependencies(EastStore, EastMemory, eastCipher, eastOptions, Time, new AllowAllAuthorizer(), NullLoggerFactory.Instance)
        {
            Peers = new ReplicationPeers([new ReplicationPeer(West, WestStore, westCipher, westOptions)]),
        };
        West1 = new OperationDependencies(WestStore, WestMemory, westCipher, westOptions, Time, new AllowAllAuthorizer(), NullLoggerFactory.Instance)
        {
            Peers = new ReplicationPeers([new ReplicationPeer(East, EastStore, eastCipher, eastOptions)]),
        };
    }

    public InMemorySecretStore EastMemory { get; } = new();

    public InMemorySecretStore WestMemory { get; } = new();

    public SwitchableStore EastStore { get; }

    public SwitchableStore WestStore { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2024, 8, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The us-east-1 deployment.</summary>
    public OperationDependencies East1 { get; }

    /// <summary>The eu-west-1 deployment.</summary>
    public OperationDependencies West1 { get; }

    public static RequestContext Context(string operation) => InMemoryApi.Context(operation);

    public static string Token(char c) => new(c, 32);

    public async Task<CreateSecretResponse> CreateAsync(OperationDependencies deps, string name, string value, List<ReplicaRegion>? replicas = null, bool? force = null) =>
        await new CreateSecretHandler(deps).ExecuteAsync(
            new CreateSecretRequest { Name = name, SecretString = value, ClientRequestToken = Token('a'), AddReplicaRegions = replicas, ForceOverwriteReplicaSecret = force },
            Context("CreateSecret"),
            default);

    public async Task<ReplicateSecretToRegionsResponse> ReplicateAsync(string secretId, string region = West, string? kmsKeyId = null, bool? force = null, OperationDependencies? deps = null) =>
        await new ReplicateSecretToRegionsHandler(deps ?? East1).ExecuteAsync(
            new ReplicateSecretToRegionsRequest { SecretId = secretId, AddReplicaRegions = [new ReplicaRegion(region, kmsKeyId)], ForceOverwriteReplicaSecret = force },
            Context("ReplicateSecretToRegions"),
            default);

    public async Task<RemoveRegionsFromReplicationResponse> RemoveAsync(string secretId, string region = West, OperationDependencies? deps = null) =>
        await new RemoveRegionsFromReplicationHandler(deps ?? East1).ExecuteAsync(
            new RemoveRegionsFromReplicationRequest { SecretId = secretId, RemoveReplicaRegions = [region] },
            Context("RemoveRegionsFromReplication"),
            default);

    public async Task<PutSecretValueResponse> PutAsync(OperationDependencies deps, string secretId, string value, char token) =>
        await new PutSecretValueHandler(deps).ExecuteAsync(
            new PutSecretValueRequest { SecretId = secretId, SecretString = value, ClientRequestToken = Token(token) },
            Context("PutSecretValue"),
            default);

    public async Task<string?> GetValueAsync(OperationDependencies deps, string secretId, string? stage = null) =>
        (await new GetSecretValueHandler(deps, new AccessRecorder(deps)).ExecuteAsync(
            new GetSecretValueRequest { SecretId = secretId, VersionStage = stage },
            Context("GetSecretValue"),
            default)).SecretString;

    public async Task<DescribeSecretResponse> DescribeAsync(OperationDependencies deps, string secretId) =>
        await new DescribeSecretHandler(deps).ExecuteAsync(new DescribeSecretRequest { SecretId = secretId }, Context("DescribeSecret"), default);

    public Task<JobResultSummary> RunJobAsync(OperationDependencies? deps = null) => RunJobCoreAsync(deps ?? East1);

    public void Dispose()
    {
        _eastCache.Dispose();
        _westCache.Dispose();
    }

    private async Task<JobResultSummary> RunJobCoreAsync(OperationDependencies deps)
    {
        var result = await new ReplicateSecretsJob(deps).RunOnceAsync(default);
        return new JobResultSummary(result.Examined, result.Processed);
    }

    private static string Key(int first) => Convert.ToBase64String(Enumerable.Range(first, 32).Select(i => (byte)i).ToArray());
}

internal sealed record JobResultSummary(int Examined, int Finished);

/// <summary>
/// A store that can be taken down (every call fails as an unreachable Table service does, with
/// ServiceUnavailable) or made to hang on writes until the caller's token is cancelled (a process
/// that dies between the primary's write and the replica's).
/// </summary>
internal sealed class SwitchableStore(ISecretStore inner) : ISecretStore
{
    public bool Down { get; set; }

    public bool HangWrites { get; set; }

    public Task<SecretRecord?> GetAsync(string name, CancellationToken cancellationToken) => Guard(() => inner.GetAsync(name, cancellationToken));

    public Task<StoredVersion?> GetVersionAsync(string name, string versionId, CancellationToken cancellationToken) => Guard(() => inner.GetVersionAsync(name, versionId, cancellationToken));

    public Task<IReadOnlyList<StoredVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken) => Guard(() => inner.ListVersionsAsync(name, cancellationToken));

    public async Task<bool> CreateAsync(SecretRecord record, IReadOnlyList<StoredVersion> versions, CancellationToken cancellationToken)
    {
        await HangAsync(cancellationToken);
        return await Guard(() => inner.CreateAsync(record, versions, cancellationToken));
    }

    public async Task<bool> TryUpdateAsync(SecretRecord record, IReadOnlyList<StoredVersion> added, IReadOnlyList<string> removedVersionIds, CancellationToken cancellationToken)
    {
        await HangAsync(cancellationToken);
        return await Guard(() => inner.TryUpdateAsync(record, added, removedVersionIds, cancellationToken));
    }

    public Task TouchAsync(string name, string versionId, DateTimeOffset day, CancellationToken cancellationToken) => Guard(async () =>
    {
        await inner.TouchAsync(name, versionId, day, cancellationToken);
        return true;
    });

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await HangAsync(cancellationToken);
        await Guard(async () =>
        {
            await inner.DeleteAsync(name, cancellationToken);
            return true;
        });
    }

    public IAsyncEnumerable<SecretRecord> ListAsync(CancellationToken cancellationToken) =>
        Down ? throw AwsErrors.ServiceUnavailable() : inner.ListAsync(cancellationToken);

    public IAsyncEnumerable<SecretRecord> ListOrderedAsync(SecretListQuery query, CancellationToken cancellationToken) =>
        Down ? throw AwsErrors.ServiceUnavailable() : inner.ListOrderedAsync(query, cancellationToken);

    private async Task HangAsync(CancellationToken cancellationToken)
    {
        if (HangWrites)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
    }

    private Task<T> Guard<T>(Func<Task<T>> call) => Down ? throw AwsErrors.ServiceUnavailable() : call();
}
