using FuncSecrets.Core.Jobs;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;

namespace FuncSecrets.UnitTests.Operations;

/// <summary>
/// Deletion, restore, purge and tags through the handlers and the purge job on the in-memory
/// store (issue 12: moved from Azurite, which showed nothing here that storage decides).
/// </summary>
public sealed class DeletionAndTagsTests : IDisposable
{
    private const string Deleted = "You can't perform this operation on the secret because it was marked for deletion.";
    private readonly InMemoryApi _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task DeleteSecret_ScheduledSecret_RefusesChangesAndShowsDeletedDate()
    {
        await _api.CreateAsync("gone");

        var deleted = await _api.DeleteAsync(new DeleteSecretRequest { SecretId = "gone", RecoveryWindowInDays = 7 });
        Assert.Equal(_api.Time.GetUtcNow().AddDays(7), deleted.DeletionDate);

        await InMemoryApi.ErrorAsync(() => _api.GetAsync("gone"), "InvalidRequestException", Deleted);
        await InMemoryApi.ErrorAsync(() => _api.PutAsync(new PutSecretValueRequest { SecretId = "gone", SecretString = "x", ClientRequestToken = InMemoryApi.Token() }), "InvalidRequestException", Deleted);
        await InMemoryApi.ErrorAsync(() => _api.TagAsync("gone", new Tag("k", "v")), "InvalidRequestException", Deleted);
        await InMemoryApi.ErrorAsync(() => _api.DeleteAsync(new DeleteSecretRequest { SecretId = "gone" }), "InvalidRequestException");
        await InMemoryApi.ErrorAsync(() => _api.CreateAsync(new CreateSecretRequest { Name = "gone" }), "InvalidRequestException",
            "You can't create this secret because a secret with this name is already scheduled for deletion.");
        Assert.NotNull((await _api.DescribeAsync("gone")).DeletedDate);

        var restored = await _api.RestoreAsync("gone");
        Assert.Equal("gone", restored.Name);
        Assert.Equal("v", (await _api.GetAsync("gone")).SecretString);
        Assert.Null((await _api.DescribeAsync("gone")).DeletedDate);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(31)]
    public async Task DeleteSecret_WindowOutOfRange_ReturnsInvalidParameter(int days)
    {
        await _api.CreateAsync("window" + days);

        await InMemoryApi.ErrorAsync(() => _api.DeleteAsync(new DeleteSecretRequest { SecretId = "window" + days, RecoveryWindowInDays = days }), "InvalidParameterException",
            "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
    }

    [Fact]
    public async Task DeleteSecret_ForceWithWindow_ReturnsInvalidParameter() =>
        await InMemoryApi.ErrorAsync(() => _api.DeleteAsync(new DeleteSecretRequest { SecretId = "any", RecoveryWindowInDays = 7, ForceDeleteWithoutRecovery = true }), "InvalidParameterException",
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");

    [Fact]
    public async Task DeleteSecret_Force_FreesTheNameAtOnce()
    {
        await _api.CreateAsync("forced", "old");
        await _api.DeleteAsync(new DeleteSecretRequest { SecretId = "forced" });

        await _api.DeleteAsync(new DeleteSecretRequest { SecretId = "forced", ForceDeleteWithoutRecovery = true });

        await InMemoryApi.ErrorAsync(() => _api.DescribeAsync("forced"), "ResourceNotFoundException");
        await _api.CreateAsync("forced", "new");
        Assert.Equal("new", (await _api.GetAsync("forced")).SecretString);
    }

    [Fact]
    public async Task DeleteSecret_ForceOnMissingName_Succeeds()
    {
        var deleted = await _api.DeleteAsync(new DeleteSecretRequest { SecretId = "never-existed", ForceDeleteWithoutRecovery = true });

        Assert.Equal("never-existed", deleted.Name);
        Assert.NotNull(deleted.ARN);
    }

    [Fact]
    public async Task PurgeJob_AfterWindow_RemovesSecretAndLeavesOthers()
    {
        await _api.CreateAsync("purge-me");
        await _api.CreateAsync("purge-later");
        await _api.DeleteAsync(new DeleteSecretRequest { SecretId = "purge-me", RecoveryWindowInDays = 7 });
        await _api.DeleteAsync(new DeleteSecretRequest { SecretId = "purge-later", RecoveryWindowInDays = 30 });
        var job = new PurgeDeletedSecretsJob(_api.Store, _api.Store, _api.Time);

        _api.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var result = await job.RunOnceAsync(CancellationToken.None);

        Assert.Equal(1, result.Processed);
        await InMemoryApi.ErrorAsync(() => _api.DescribeAsync("purge-me"), "ResourceNotFoundException");
        Assert.NotNull((await _api.DescribeAsync("purge-later")).DeletedDate);
        Assert.Equal(0, (await job.RunOnceAsync(CancellationToken.None)).Processed);
    }

    [Fact]
    public async Task PurgeJob_RestoredSecret_IsKept()
    {
        await _api.CreateAsync("restored");
        await _api.DeleteAsync(new DeleteSecretRequest { SecretId = "restored", RecoveryWindowInDays = 7 });
        await _api.RestoreAsync("restored");
        var job = new PurgeDeletedSecretsJob(_api.Store, _api.Store, _api.Time);

        _api.Time.Advance(TimeSpan.FromDays(8));
        await job.RunOnceAsync(CancellationToken.None);

        Assert.Equal("v", (await _api.GetAsync("restored")).SecretString);
    }

    [Fact]
    public async Task Tags_AbsentUntilTaggedThenEmptyAfterLastRemoved()
    {
        await _api.CreateAsync("tagged");
        Assert.Null((await _api.DescribeAsync("tagged")).Tags);

        await _api.TagAsync("tagged", new Tag("env", "prod"), new Tag("team", "a"));
        await _api.TagAsync("tagged", new Tag("env", "dev"));
        Assert.Equal([new Tag("env", "dev"), new Tag("team", "a")], (await _api.DescribeAsync("tagged")).Tags);

        await _api.UntagAsync("tagged", "env", "team");
        Assert.Equal([], (await _api.DescribeAsync("tagged")).Tags);
        await InMemoryApi.ErrorAsync(() => _api.TagAsync("tagged", new Tag("aws:x", "v")), "InvalidParameterException");
    }
}
