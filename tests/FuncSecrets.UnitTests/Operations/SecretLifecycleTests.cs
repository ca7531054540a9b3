using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;

namespace FuncSecrets.UnitTests.Operations;

/// <summary>
/// Create, read, version and label operations through the handlers on the in-memory store (issue
/// 12: moved from Azurite, which showed nothing here that storage decides). The Azurite suite
/// keeps what only storage shows: the largest values across split columns, the access-date merge.
/// </summary>
public sealed class SecretLifecycleTests : IDisposable
{
    private readonly InMemoryApi _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task CreateSecret_WithValue_ReturnsArnNameVersionOnly()
    {
        var token = InMemoryApi.Token();
        var created = await _api.CreateAsync(new CreateSecretRequest { Name = "app/db", SecretString = "s3cret", ClientRequestToken = token });

        Assert.Matches("^arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-[A-Za-z0-9]{6}$", created.ARN);
        Assert.Equal("app/db", created.Name);
        Assert.Equal(token, created.VersionId);
        Assert.Null(created.ReplicationStatus);
    }

    [Fact]
    public async Task CreateSecret_WithoutValue_HasNoVersionAndGetFindsNoCurrent()
    {
        var created = await _api.CreateAsync(new CreateSecretRequest { Name = "empty" });

        Assert.Null(created.VersionId);
        await InMemoryApi.ErrorAsync(() => _api.GetAsync("empty"), "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT");
        Assert.Null((await _api.DescribeAsync("empty")).VersionIdsToStages);
    }

    [Fact]
    public async Task CreateSecret_RawRequestWithoutToken_ReturnsInvalidRequest() =>
        await InMemoryApi.ErrorAsync(() => _api.CreateAsync(new CreateSecretRequest { Name = "no-token", SecretString = "x" }), "InvalidRequestException",
            "You must provide a ClientRequestToken value. We recommend a UUID-type value.");

    [Fact]
    public async Task CreateSecret_ExistingName_ReturnsResourceExists()
    {
        await _api.CreateAsync("dup", "a");

        await InMemoryApi.ErrorAsync(() => _api.CreateAsync("dup", "a"), "ResourceExistsException", "The operation failed because the secret dup already exists.");
    }

    [Fact]
    public async Task CreateSecret_SameTokenAndValue_IsIdempotent()
    {
        var request = new CreateSecretRequest { Name = "idem", SecretString = "a", ClientRequestToken = InMemoryApi.Token() };
        var first = await _api.CreateAsync(request);
        var again = await _api.CreateAsync(request);

        Assert.Equal(first.ARN, again.ARN);
        Assert.Equal(request.ClientRequestToken, again.VersionId);
        Assert.Single(await _api.Store.ListVersionsAsync("idem", default));
    }

    [Fact]
    public async Task CreateSecret_InvalidName_ReturnsValidationException() =>
        await InMemoryApi.ErrorAsync(() => _api.CreateAsync(new CreateSecretRequest { Name = "Inv Name" }), "ValidationException",
            "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");

    [Fact]
    public async Task CreateSecret_BothValues_ReturnsInvalidParameter() =>
        await InMemoryApi.ErrorAsync(
            () => _api.CreateAsync(new CreateSecretRequest { Name = "both", SecretString = "a", SecretBinary = [0, 1], ClientRequestToken = InMemoryApi.Token() }),
            "InvalidParameterException");

    [Fact]
    public async Task CreateSecret_ValueOver64KiB_ReturnsValidationAndStoresNothing()
    {
        await InMemoryApi.ErrorAsync(() => _api.CreateAsync("big", new string('x', 65537)), "ValidationException");

        await InMemoryApi.ErrorAsync(() => _api.DescribeAsync("big"), "ResourceNotFoundException");
    }

    [Fact]
    public async Task GetSecretValue_ByNameArnAndPartialArn_ReturnsSameValue()
    {
        var arn = (await _api.CreateAsync("ids/x")).ARN!;

        foreach (var id in new[] { "ids/x", arn, arn[..^7] })
        {
            var got = await _api.GetAsync(id);
            Assert.Equal("v", got.SecretString);
            Assert.Equal([StagingLabels.Current], got.VersionStages);
            Assert.NotNull(got.CreatedDate);
        }

        await InMemoryApi.ErrorAsync(() => _api.GetAsync(arn[..^6] + "zzzzzz"), "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }

    [Fact]
    public async Task PutSecretValue_NewVersion_MovesCurrentAndPrevious()
    {
        var (v1, v2, v3) = (InMemoryApi.Token(), InMemoryApi.Token(), InMemoryApi.Token());
        await _api.CreateAsync(new CreateSecretRequest { Name = "rot", SecretString = "one", ClientRequestToken = v1 });
        var put = await _api.PutAsync(new PutSecretValueRequest { SecretId = "rot", SecretString = "two", ClientRequestToken = v2 });
        Assert.Equal([StagingLabels.Current], put.VersionStages);
        await _api.PutAsync(new PutSecretValueRequest { SecretId = "rot", SecretString = "three", ClientRequestToken = v3 });

        var stages = (await _api.DescribeAsync("rot")).VersionIdsToStages!;
        Assert.Equal(2, stages.Count);
        Assert.Equal([StagingLabels.Current], stages[v3]);
        Assert.Equal([StagingLabels.Previous], stages[v2]);

        Assert.Equal("two", (await _api.GetAsync(new GetSecretValueRequest { SecretId = "rot", VersionStage = StagingLabels.Previous })).SecretString);
        var deprecated = await _api.GetAsync(new GetSecretValueRequest { SecretId = "rot", VersionId = v1 });
        Assert.Equal("one", deprecated.SecretString);
        Assert.Empty(deprecated.VersionStages!);
    }

    [Fact]
    public async Task PutSecretValue_CustomStages_LeaveCurrentAlone()
    {
        var v2 = InMemoryApi.Token();
        await _api.CreateAsync("custom", "one");

        var put = await _api.PutAsync(new PutSecretValueRequest { SecretId = "custom", SecretString = "two", ClientRequestToken = v2, VersionStages = ["SAMPLESTAGE1", "SAMPLESTAGE0"] });

        Assert.Equal(["SAMPLESTAGE0", "SAMPLESTAGE1"], put.VersionStages);
        Assert.Equal("one", (await _api.GetAsync("custom")).SecretString);
        await InMemoryApi.ErrorAsync(
            () => _api.GetAsync(new GetSecretValueRequest { SecretId = "custom", VersionId = v2, VersionStage = StagingLabels.Current }),
            "InvalidRequestException",
            "You provided a VersionStage that is not associated to the provided VersionId.");
    }

    [Fact]
    public async Task PutSecretValue_SameTokenDifferentValue_ReturnsResourceExists()
    {
        var token = InMemoryApi.Token();
        await _api.CreateAsync(new CreateSecretRequest { Name = "tok", SecretString = "one", ClientRequestToken = token });

        var again = await _api.PutAsync(new PutSecretValueRequest { SecretId = "tok", SecretString = "one", ClientRequestToken = token });
        Assert.Equal(token, again.VersionId);
        await InMemoryApi.ErrorAsync(() => _api.PutAsync(new PutSecretValueRequest { SecretId = "tok", SecretString = "two", ClientRequestToken = token }), "ResourceExistsException");
    }

    [Fact]
    public async Task GetSecretValue_UnknownVersionAndStage_ReturnAwsMessages()
    {
        await _api.CreateAsync("nf", "one");
        var missing = InMemoryApi.Token();

        await InMemoryApi.ErrorAsync(() => _api.GetAsync(new GetSecretValueRequest { SecretId = "nf", VersionId = missing }), "ResourceNotFoundException",
            $"Secrets Manager can't find the specified secret value for VersionId: {missing}");
        await InMemoryApi.ErrorAsync(() => _api.GetAsync(new GetSecretValueRequest { SecretId = "nf", VersionStage = StagingLabels.Previous }), "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS");
    }

    [Fact]
    public async Task UpdateSecretVersionStage_MoveCurrent_NeedsRemoveFromVersionId()
    {
        var (v1, v2) = (InMemoryApi.Token(), InMemoryApi.Token());
        await _api.CreateAsync(new CreateSecretRequest { Name = "stage", SecretString = "one", ClientRequestToken = v1 });
        await _api.PutAsync(new PutSecretValueRequest { SecretId = "stage", SecretString = "two", ClientRequestToken = v2, VersionStages = [StagingLabels.Pending] });

        await InMemoryApi.ErrorAsync(
            () => _api.MoveLabelAsync(new UpdateSecretVersionStageRequest { SecretId = "stage", VersionStage = StagingLabels.Current, MoveToVersionId = v2 }),
            "InvalidParameterException",
            $"The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version {v1}, so you must explicitly reference that version in RemoveFromVersionId.");

        var moved = await _api.MoveLabelAsync(new UpdateSecretVersionStageRequest { SecretId = "stage", VersionStage = StagingLabels.Current, MoveToVersionId = v2, RemoveFromVersionId = v1 });
        Assert.Equal("stage", moved.Name);

        var stages = (await _api.DescribeAsync("stage")).VersionIdsToStages!;
        Assert.Equal([StagingLabels.Current, StagingLabels.Pending], stages[v2]);
        Assert.Equal([StagingLabels.Previous], stages[v1]);
        Assert.Equal("two", (await _api.GetAsync("stage")).SecretString);
    }

    [Fact]
    public async Task UpdateSecret_DescriptionOnly_ReturnsNoVersionId()
    {
        await _api.CreateAsync(new CreateSecretRequest { Name = "upd", SecretString = "one", ClientRequestToken = InMemoryApi.Token(), Description = "first" });

        var updated = await _api.UpdateAsync(new UpdateSecretRequest { SecretId = "upd", Description = "second" });
        Assert.Null(updated.VersionId);

        var withValue = await _api.UpdateAsync(new UpdateSecretRequest { SecretId = "upd", SecretString = "two", ClientRequestToken = InMemoryApi.Token() });
        Assert.NotNull(withValue.VersionId);
        Assert.Equal("second", (await _api.DescribeAsync("upd")).Description);
        Assert.Equal("two", (await _api.GetAsync("upd")).SecretString);

        await _api.UpdateAsync(new UpdateSecretRequest { SecretId = "upd", Description = string.Empty });
        Assert.Null((await _api.DescribeAsync("upd")).Description);
    }

    [Fact]
    public async Task ListSecretVersionIds_DeprecatedHiddenUnlessAsked_AndPaged()
    {
        var ids = Enumerable.Range(0, 4).Select(_ => InMemoryApi.Token()).ToList();
        await _api.CreateAsync(new CreateSecretRequest { Name = "versions", SecretString = "0", ClientRequestToken = ids[0] });
        for (var i = 1; i < ids.Count; i++)
        {
            _api.Time.Advance(TimeSpan.FromSeconds(1));
            await _api.PutAsync(new PutSecretValueRequest { SecretId = "versions", SecretString = $"{i}", ClientRequestToken = ids[i] });
        }

        var labelled = await _api.ListVersionsAsync(new ListSecretVersionIdsRequest { SecretId = "versions" });
        Assert.Equal([ids[2], ids[3]], labelled.Versions!.Select(v => v.VersionId));
        Assert.Equal(["DefaultEncryptionKey"], labelled.Versions![0].KmsKeyIds);

        var seen = new List<string>();
        string? next = null;
        do
        {
            var page = await _api.ListVersionsAsync(new ListSecretVersionIdsRequest { SecretId = "versions", IncludeDeprecated = true, MaxResults = 1, NextToken = next });
            seen.AddRange(page.Versions!.Select(v => v.VersionId!));
            next = page.NextToken;
        }
        while (next is not null);

        Assert.Equal(ids, seen);
    }
}
