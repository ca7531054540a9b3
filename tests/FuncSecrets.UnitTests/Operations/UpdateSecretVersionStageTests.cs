using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;

namespace FuncSecrets.UnitTests.Operations;

/// <summary>The label operations end to end through the handlers, on the in-memory store.</summary>
public sealed class UpdateSecretVersionStageTests : IDisposable
{
    private readonly InMemoryApi _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task UpdateSecretVersionStage_CurrentMovedBack_GetReturnsOldValueAndLabelsFollow()
    {
        await CreateAsync("app", "v1-token-00000000000000000000000000", "one");
        await PutAsync("app", "v2-token-00000000000000000000000000", "two");

        await _api.MoveLabelAsync(new UpdateSecretVersionStageRequest
        {
            SecretId = "app",
            VersionStage = StagingLabels.Current,
            RemoveFromVersionId = "v2-token-00000000000000000000000000",
            MoveToVersionId = "v1-token-00000000000000000000000000",
        });

        Assert.Equal("one", (await GetAsync("app")).SecretString);
        var stored = (await _api.Store.GetAsync("app", default))!;
        Assert.Equal([StagingLabels.Current], stored.Versions["v1-token-00000000000000000000000000"].Stages);
        Assert.Equal([StagingLabels.Previous], stored.Versions["v2-token-00000000000000000000000000"].Stages);
    }

    [Fact]
    public async Task PutSecretValue_SameTokenSameValue_IsOneVersion()
    {
        await CreateAsync("idem", "v1-token-00000000000000000000000000", "one");
        var first = await PutAsync("idem", "v2-token-00000000000000000000000000", "two");
        var again = await PutAsync("idem", "v2-token-00000000000000000000000000", "two");

        Assert.Equal(first.VersionId, again.VersionId);
        Assert.Equal(2, (await _api.Store.ListVersionsAsync("idem", default)).Count);
    }

    [Fact]
    public async Task PutSecretValue_SameTokenOtherValue_ThrowsResourceExists()
    {
        await CreateAsync("reuse", "v1-token-00000000000000000000000000", "one");

        var error = await Assert.ThrowsAsync<AwsException>(() => PutAsync("reuse", "v1-token-00000000000000000000000000", "other"));

        Assert.Equal("ResourceExistsException", error.Code);
        Assert.Equal("one", (await GetAsync("reuse")).SecretString);
    }

    [Fact]
    public async Task PutSecretValue_NewCurrent_FormerCurrentIsPreviousAndCopyFollows()
    {
        await CreateAsync("copy", "v1-token-00000000000000000000000000", "one");
        await PutAsync("copy", "v2-token-00000000000000000000000000", "two");

        var stored = (await _api.Store.GetAsync("copy", default))!;
        Assert.Equal("v2-token-00000000000000000000000000", stored.CurrentVersionId);
        Assert.Equal([StagingLabels.Previous], stored.Versions["v1-token-00000000000000000000000000"].Stages);
        var current = await _api.Store.GetVersionAsync("copy", "v2-token-00000000000000000000000000", default);
        Assert.Equal(current!.Value!.Ciphertext, stored.CurrentValue!.Ciphertext);
    }

    private Task<CreateSecretResponse> CreateAsync(string name, string token, string value) =>
        _api.CreateAsync(new CreateSecretRequest { Name = name, ClientRequestToken = token, SecretString = value });

    private Task<PutSecretValueResponse> PutAsync(string name, string token, string value) =>
        _api.PutAsync(new PutSecretValueRequest { SecretId = name, ClientRequestToken = token, SecretString = value });

    private Task<GetSecretValueResponse> GetAsync(string name) => _api.GetAsync(name);
}
