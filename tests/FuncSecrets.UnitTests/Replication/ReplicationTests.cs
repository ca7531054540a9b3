using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Replication;
using FuncSecrets.Core.Services;

namespace FuncSecrets.UnitTests.Replication;

/// <summary>
/// Multi-Region replication between two deployments on in-memory stores (issue 14): what
/// replicates, what a replica refuses, promotion, removal, and what happens when the peer Region
/// does not answer or the process dies between the two writes.
/// </summary>
public sealed class ReplicationTests : IDisposable
{
    private const string Refused = "Operation not permitted on a replica secret. Call must be made in primary secret's region.";

    private const string Policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";

    private readonly TwoRegionApi _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task ReplicateSecretToRegions_ConfiguredPeer_ReplicaReadableInPeerRegionUnderItsArn()
    {
        var created = await _api.CreateAsync(_api.East1, "app/db", "s3cret");

        var answer = await _api.ReplicateAsync("app/db");

        var status = Assert.Single(answer.ReplicationStatus!);
        Assert.Equal(created.ARN, answer.ARN);
        Assert.Equal((TwoRegionApi.West, "alias/aws/secretsmanager", "InSync", "Replication succeeded"), (status.Region, status.KmsKeyId, status.Status, status.StatusMessage));
        var replicaArn = created.ARN!.Replace(":us-east-1:", ":eu-west-1:", StringComparison.Ordinal);
        Assert.Equal("s3cret", await _api.GetValueAsync(_api.West1, replicaArn));
        var replica = await _api.DescribeAsync(_api.West1, "app/db");
        Assert.Equal((replicaArn, TwoRegionApi.East), (replica.ARN, replica.PrimaryRegion));
        Assert.Null(replica.ReplicationStatus);
        var primary = await _api.DescribeAsync(_api.East1, "app/db");
        Assert.Null(primary.PrimaryRegion);
        Assert.Equal("InSync", Assert.Single(primary.ReplicationStatus!).Status);
        Assert.Equal(primary.VersionIdsToStages!.Keys, replica.VersionIdsToStages!.Keys);
    }

    [Fact]
    public async Task ReplicateSecretToRegions_Replica_IsSealedUnderThePeerKeyNotOurs()
    {
        await _api.CreateAsync(_api.East1, "sealed", "v");
        await _api.ReplicateAsync("sealed");

        var replica = (await _api.WestMemory.GetAsync("sealed", default))!;
        var primary = (await _api.EastMemory.GetAsync("sealed", default))!;

        // Different wrapped keys, and only the peer's cipher opens the replica's copy.
        Assert.NotEqual(primary.CurrentValue!.WrappedKey, replica.CurrentValue!.WrappedKey);
        var arn = replica.Arn(_api.West1.Options);
        await Assert.ThrowsAsync<AwsException>(() => _api.East1.Cipher.OpenAsync(replica.CurrentValue, arn, primary.CurrentVersionId!, default));
        var ours = await _api.East1.Cipher.OpenAsync(primary.CurrentValue, primary.Arn(_api.East1.Options), primary.CurrentVersionId!, default);
        Assert.Equal(ours, await _api.West1.Cipher.OpenAsync(replica.CurrentValue, arn, primary.CurrentVersionId!, default));
    }

    [Fact]
    public async Task ReplicateSecretToRegions_KmsKeyIdOfThePeer_IsShownAndUsed()
    {
        await _api.CreateAsync(_api.East1, "keyed", "v");

        var answer = await _api.ReplicateAsync("keyed", kmsKeyId: "alias/west");

        Assert.Equal("alias/west", Assert.Single(answer.ReplicationStatus!).KmsKeyId);
        Assert.Equal("alias/west", (await _api.DescribeAsync(_api.West1, "keyed")).KmsKeyId);
        Assert.Equal("v", await _api.GetValueAsync(_api.West1, "keyed"));
    }

    [Fact]
    public async Task PrimaryChanges_Propagate_ValueLabelsTagsDescription()
    {
        await _api.CreateAsync(_api.East1, "follow", "one");
        await _api.ReplicateAsync("follow");

        var put = await _api.PutAsync(_api.East1, "follow", "two", 'b');
        await new TagResourceHandler(_api.East1).ExecuteAsync(new TagResourceRequest { SecretId = "follow", Tags = [new Tag("team", "payments")] }, TwoRegionApi.Context("TagResource"), default);
        await new UpdateSecretHandler(_api.East1).ExecuteAsync(new UpdateSecretRequest { SecretId = "follow", Description = "the db" }, TwoRegionApi.Context("UpdateSecret"), default);

        Assert.Equal("two", await _api.GetValueAsync(_api.West1, "follow"));
        Assert.Equal("one", await _api.GetValueAsync(_api.West1, "follow", StagingLabels.Previous));
        var replica = await _api.DescribeAsync(_api.West1, "follow");
        Assert.Equal([new Tag("team", "payments")], replica.Tags);
        Assert.Equal("the db", replica.Description);

        // A label moved back on the primary moves on the replica too.
        await new UpdateSecretVersionStageHandler(_api.East1).ExecuteAsync(
            new UpdateSecretVersionStageRequest { SecretId = "follow", VersionStage = StagingLabels.Current, RemoveFromVersionId = put.VersionId, MoveToVersionId = TwoRegionApi.Token('a') },
            TwoRegionApi.Context("UpdateSecretVersionStage"),
            default);
        await new UntagResourceHandler(_api.East1).ExecuteAsync(new UntagResourceRequest { SecretId = "follow", TagKeys = ["team"] }, TwoRegionApi.Context("UntagResource"), default);

        Assert.Equal("one", await _api.GetValueAsync(_api.West1, "follow"));
        Assert.Empty((await _api.DescribeAsync(_api.West1, "follow")).Tags!);
        Assert.Equal("InSync", Assert.Single((await _api.DescribeAsync(_api.East1, "follow")).ReplicationStatus!).Status);
    }

    public static TheoryData<string> ReplicaWrites => new()
    {
        "PutSecretValue", "UpdateSecret", "TagResource", "UntagResource", "PutResourcePolicy", "GetResourcePolicy",
        "DeleteResourcePolicy", "DeleteSecret", "ForceDeleteSecret", "RestoreSecret", "CancelRotateSecret",
        "UpdateSecretVersionStage", "ReplicateSecretToRegions", "RemoveRegionsFromReplication",
    };

    [Theory]
    [MemberData(nameof(ReplicaWrites))]
    public async Task Replica_WriteOrPolicyCall_ThrowsOperationNotPermittedOnReplica(string operation)
    {
        await _api.CreateAsync(_api.East1, "ro", "v");
        await _api.ReplicateAsync("ro");
        var west = _api.West1;
        var context = TwoRegionApi.Context(operation == "ForceDeleteSecret" ? "DeleteSecret" : operation);

        Func<Task> call = operation switch
        {
            "PutSecretValue" => () => _api.PutAsync(west, "ro", "x", 'z'),
            "UpdateSecret" => () => new UpdateSecretHandler(west).ExecuteAsync(new UpdateSecretRequest { SecretId = "ro", Description = "x" }, context, default),
            "TagResource" => () => new TagResourceHandler(west).ExecuteAsync(new TagResourceRequest { SecretId = "ro", Tags = [new Tag("k", "v")] }, context, default),
            "UntagResource" => () => new UntagResourceHandler(west).ExecuteAsync(new UntagResourceRequest { SecretId = "ro", TagKeys = ["k"] }, context, default),
            "PutResourcePolicy" => () => new PutResourcePolicyHandler(west).ExecuteAsync(new PutResourcePolicyRequest { SecretId = "ro", ResourcePolicy = Policy }, context, default),
            "GetResourcePolicy" => () => new GetResourcePolicyHandler(west).ExecuteAsync(new GetResourcePolicyRequest { SecretId = "ro" }, context, default),
            "DeleteResourcePolicy" => () => new DeleteResourcePolicyHandler(west).ExecuteAsync(new DeleteResourcePolicyRequest { SecretId = "ro" }, context, default),
            "DeleteSecret" => () => new DeleteSecretHandler(west).ExecuteAsync(new DeleteSecretRequest { SecretId = "ro" }, context, default),
            "ForceDeleteSecret" => () => new DeleteSecretHandler(west).ExecuteAsync(new DeleteSecretRequest { SecretId = "ro", ForceDeleteWithoutRecovery = true }, context, default),
            "RestoreSecret" => () => new RestoreSecretHandler(west).ExecuteAsync(new RestoreSecretRequest { SecretId = "ro" }, context, default),
            "CancelRotateSecret" => () => new CancelRotateSecretHandler(west).ExecuteAsync(new CancelRotateSecretRequest { SecretId = "ro" }, context, default),
            "UpdateSecretVersionStage" => () => new UpdateSecretVersionStageHandler(west).ExecuteAsync(
                new UpdateSecretVersionStageRequest { SecretId = "ro", VersionStage = "custom", MoveToVersionId = TwoRegionApi.Token('a') }, context, default),
            "ReplicateSecretToRegions" => () => _api.ReplicateAsync("ro", TwoRegionApi.East, deps: west),
            "RemoveRegionsFromReplication" => () => _api.RemoveAsync("ro", TwoRegionApi.East, deps: west),
            _ => throw new ArgumentOutOfRangeException(nameof(operation)),
        };

        var error = await Assert.ThrowsAsync<AwsException>(call);

        Assert.Equal((AwsErrorCodes.InvalidParameter, Refused), (error.Code, error.Message));
        Assert.Equal("v", await _api.GetValueAsync(west, "ro"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DeleteSecret_PrimaryWithReplicas_ThrowsUntilReplicasRemoved(bool force)
    {
        var arn = (await _api.CreateAsync(_api.East1, "keep", "v")).ARN!;
        await _api.ReplicateAsync("keep");
        var request = new DeleteSecretRequest { SecretId = arn, ForceDeleteWithoutRecovery = force ? true : null };

        var error = await Assert.ThrowsAsync<AwsException>(() => new DeleteSecretHandler(_api.East1).ExecuteAsync(request, TwoRegionApi.Context("DeleteSecret"), default));

        Assert.Equal(AwsErrorCodes.InvalidParameter, error.Code);
        Assert.Equal($"You can't delete secret {arn} that still has replica regions [eu-west-1]", error.Message);
        var removed = await _api.RemoveAsync("keep");
        Assert.Empty(removed.ReplicationStatus!);
        await new DeleteSecretHandler(_api.East1).ExecuteAsync(request, TwoRegionApi.Context("DeleteSecret"), default);
    }

    [Fact]
    public async Task RemoveRegionsFromReplication_DeletesTheReplicaAndIsIdempotent()
    {
        await _api.CreateAsync(_api.East1, "gone", "v");
        await _api.ReplicateAsync("gone");

        await _api.RemoveAsync("gone");
        await _api.RemoveAsync("gone");

        Assert.Null(await _api.WestMemory.GetAsync("gone", default));
        Assert.Null((await _api.DescribeAsync(_api.East1, "gone")).ReplicationStatus);
        Assert.Empty(await _api.EastMemory.ListDueAsync(Replicator.Index, DateTimeOffset.MaxValue, 10, default));
    }

    [Fact]
    public async Task ReplicateSecretToRegions_NameTakenInPeer_FailsUnlessForceOverwrite()
    {
        await _api.CreateAsync(_api.West1, "taken", "theirs");
        await _api.CreateAsync(_api.East1, "taken", "ours");

        var refused = Assert.Single((await _api.ReplicateAsync("taken")).ReplicationStatus!);

        Assert.Equal(("Failed", "Replication failed: Secret name taken already exists in region eu-west-1."), (refused.Status, refused.StatusMessage));
        Assert.Equal("theirs", await _api.GetValueAsync(_api.West1, "taken"));
        Assert.Empty(await _api.EastMemory.ListDueAsync(Replicator.Index, DateTimeOffset.MaxValue, 10, default));

        var forced = Assert.Single((await _api.ReplicateAsync("taken", force: true)).ReplicationStatus!);

        Assert.Equal("InSync", forced.Status);
        Assert.Equal("ours", await _api.GetValueAsync(_api.West1, "taken"));
        Assert.Equal(TwoRegionApi.East, (await _api.DescribeAsync(_api.West1, "taken")).PrimaryRegion);
    }

    [Fact]
    public async Task CreateSecret_AddReplicaRegions_CreatesTheReplicaAndAnswersItsStatus()
    {
        var created = await _api.CreateAsync(_api.East1, "born", "v", [new ReplicaRegion(TwoRegionApi.West, null)]);

        Assert.Equal("InSync", Assert.Single(created.ReplicationStatus!).Status);
        Assert.Equal("v", await _api.GetValueAsync(_api.West1, "born"));
    }

    [Fact]
    public async Task CreateSecret_ForceOverwriteReplicaSecret_ReplacesTheSameNamedSecretThere()
    {
        await _api.CreateAsync(_api.West1, "clash", "theirs");

        var created = await _api.CreateAsync(_api.East1, "clash", "ours", [new ReplicaRegion(TwoRegionApi.West, null)], force: true);

        Assert.Equal("InSync", Assert.Single(created.ReplicationStatus!).Status);
        Assert.Equal("ours", await _api.GetValueAsync(_api.West1, "clash"));
    }

    [Fact]
    public async Task PeerDown_PrimaryWriteSucceedsReplicaFailed_JobRecoversWhenPeerBack()
    {
        await _api.CreateAsync(_api.East1, "outage", "one");
        await _api.ReplicateAsync("outage");
        _api.WestStore.Down = true;

        await _api.PutAsync(_api.East1, "outage", "two", 'b');

        Assert.Equal("two", await _api.GetValueAsync(_api.East1, "outage"));
        var failed = Assert.Single((await _api.DescribeAsync(_api.East1, "outage")).ReplicationStatus!);
        Assert.Equal(("Failed", "Replication failed: Region eu-west-1 did not answer. Secrets Manager retries."), (failed.Status, failed.StatusMessage));

        // Still down: the job keeps the work; back up: the job finishes it.
        _api.Time.Advance(_api.East1.Peers.RetryDelay);
        Assert.Equal(0, (await _api.RunJobAsync()).Finished);
        _api.WestStore.Down = false;
        Assert.Equal(1, (await _api.RunJobAsync()).Finished);

        Assert.Equal("two", await _api.GetValueAsync(_api.West1, "outage"));
        Assert.Equal("InSync", Assert.Single((await _api.DescribeAsync(_api.East1, "outage")).ReplicationStatus!).Status);
        Assert.Empty(await _api.EastMemory.ListDueAsync(Replicator.Index, DateTimeOffset.MaxValue, 10, default));
    }

    [Fact]
    public async Task ProcessDiesBetweenTheTwoWrites_NothingIsLost_JobFinishes()
    {
        await _api.CreateAsync(_api.East1, "crash", "one");
        await _api.ReplicateAsync("crash");

        // The replica's write never returns; the request is abandoned (as when the process dies).
        _api.WestStore.HangWrites = true;
        using (var dying = new CancellationTokenSource())
        {
            var put = new PutSecretValueHandler(_api.East1).ExecuteAsync(
                new PutSecretValueRequest { SecretId = "crash", SecretString = "two", ClientRequestToken = TwoRegionApi.Token('b') },
                TwoRegionApi.Context("PutSecretValue"),
                dying.Token);
            await WaitUntilAsync(async () => await _api.EastMemory.GetAsync("crash", default) is { } r && r.Versions.ContainsKey(TwoRegionApi.Token('b')));
            await dying.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => put);
        }

        _api.WestStore.HangWrites = false;
        Assert.Equal("one", await _api.GetValueAsync(_api.West1, "crash"));
        Assert.Single(await _api.EastMemory.ListDueAsync(Replicator.Index, DateTimeOffset.MaxValue, 10, default));

        // Too early: the write path might still be at work.
        Assert.Equal(0, (await _api.RunJobAsync()).Examined);
        _api.Time.Advance(_api.East1.Peers.RetryDelay);
        await _api.RunJobAsync();

        Assert.Equal("two", await _api.GetValueAsync(_api.West1, "crash"));
        Assert.Empty(await _api.EastMemory.ListDueAsync(Replicator.Index, DateTimeOffset.MaxValue, 10, default));
    }

    [Fact]
    public async Task StopReplicationToReplica_InReplicaRegion_PromotesToStandalone()
    {
        var arn = (await _api.CreateAsync(_api.East1, "promote", "one")).ARN!;
        await new TagResourceHandler(_api.East1).ExecuteAsync(new TagResourceRequest { SecretId = "promote", Tags = [new Tag("k", "v")] }, TwoRegionApi.Context("TagResource"), default);
        await _api.ReplicateAsync("promote");

        var answer = await new StopReplicationToReplicaHandler(_api.West1).ExecuteAsync(new StopReplicationToReplicaRequest { SecretId = "promote" }, TwoRegionApi.Context("StopReplicationToReplica"), default);

        Assert.Equal(arn.Replace(":us-east-1:", ":eu-west-1:", StringComparison.Ordinal), answer.ARN);
        var promoted = await _api.DescribeAsync(_api.West1, "promote");
        Assert.Null(promoted.PrimaryRegion);
        Assert.Equal([new Tag("k", "v")], promoted.Tags);
        Assert.Null((await _api.DescribeAsync(_api.East1, "promote")).ReplicationStatus);

        // Independent from now on, both ways.
        await _api.PutAsync(_api.West1, "promote", "west-two", 'w');
        await _api.PutAsync(_api.East1, "promote", "east-two", 'e');
        Assert.Equal("west-two", await _api.GetValueAsync(_api.West1, "promote"));
        Assert.Equal("east-two", await _api.GetValueAsync(_api.East1, "promote"));
    }

    [Fact]
    public async Task StopReplicationToReplica_PrimaryRegionDown_PromotesAndPrimaryForgetsItLater()
    {
        await _api.CreateAsync(_api.East1, "dr", "one");
        await _api.ReplicateAsync("dr");
        _api.EastStore.Down = true;

        await new StopReplicationToReplicaHandler(_api.West1).ExecuteAsync(new StopReplicationToReplicaRequest { SecretId = "dr" }, TwoRegionApi.Context("StopReplicationToReplica"), default);

        Assert.Null((await _api.DescribeAsync(_api.West1, "dr")).PrimaryRegion);
        _api.EastStore.Down = false;
        Assert.Single((await _api.DescribeAsync(_api.East1, "dr")).ReplicationStatus!);

        // The primary's next change finds the replica promoted and drops it from its list.
        await _api.PutAsync(_api.East1, "dr", "two", 'b');

        Assert.Null((await _api.DescribeAsync(_api.East1, "dr")).ReplicationStatus);
        Assert.Equal("one", await _api.GetValueAsync(_api.West1, "dr"));
    }

    [Fact]
    public async Task StopReplicationToReplica_NotAReplica_ThrowsInvalidRequest()
    {
        await _api.CreateAsync(_api.East1, "plain", "v");

        var error = await Assert.ThrowsAsync<AwsException>(() => new StopReplicationToReplicaHandler(_api.East1).ExecuteAsync(new StopReplicationToReplicaRequest { SecretId = "plain" }, TwoRegionApi.Context("StopReplicationToReplica"), default));

        Assert.Equal(AwsErrorCodes.InvalidRequest, error.Code);
    }

    [Theory]
    [InlineData(TwoRegionApi.East)] // this Region
    [InlineData("ap-south-1")] // well-formed, but no peer serves it
    public async Task ReplicateSecretToRegions_InvalidRegion_ThrowsInvalidReplicaRegion(string region)
    {
        await _api.CreateAsync(_api.East1, "where", "v");

        var error = await Assert.ThrowsAsync<AwsException>(() => _api.ReplicateAsync("where", region));

        Assert.Equal((AwsErrorCodes.InvalidParameter, "Invalid replica region."), (error.Code, error.Message));
        Assert.Null((await _api.DescribeAsync(_api.East1, "where")).ReplicationStatus);
    }

    [Fact]
    public async Task ReplicateSecretToRegions_SameRegionTwice_ThrowsInvalidReplicaRegion()
    {
        await _api.CreateAsync(_api.East1, "twice", "v");
        var request = new ReplicateSecretToRegionsRequest { SecretId = "twice", AddReplicaRegions = [new(TwoRegionApi.West, null), new(TwoRegionApi.West, null)] };

        var error = await Assert.ThrowsAsync<AwsException>(() => new ReplicateSecretToRegionsHandler(_api.East1).ExecuteAsync(request, TwoRegionApi.Context("ReplicateSecretToRegions"), default));

        Assert.Equal("Invalid replica region.", error.Message);
    }

    [Theory]
    [InlineData("EU-WEST-1")]
    [InlineData("eu-west-1\n")]
    [InlineData("eu west 1")]
    [InlineData("../../etc")]
    [InlineData("eu-west-١")] // an Arabic-Indic digit: not [0-9]
    [InlineData("")]
    public async Task ReplicateSecretToRegions_MalformedRegion_ThrowsValidationBeforeLookup(string region)
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => _api.ReplicateAsync("no-such-secret", region));

        Assert.Equal(AwsErrorCodes.Validation, error.Code);
        Assert.Contains("addReplicaRegions.1.member.region", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task ReplicateSecretToRegions_HostileLongRegion_ThrowsValidationWithoutEchoingIt()
    {
        var region = new string('a', 5000) + "-1";

        var error = await Assert.ThrowsAsync<AwsException>(() => _api.ReplicateAsync("x", region));

        Assert.Equal(AwsErrorCodes.Validation, error.Code);
        Assert.True(error.Message.Length < 300, error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    public async Task ReplicateSecretToRegions_MissingOrEmptyList_ThrowsValidation(int? count)
    {
        var request = new ReplicateSecretToRegionsRequest { SecretId = "x", AddReplicaRegions = count is null ? null : [] };

        var error = await Assert.ThrowsAsync<AwsException>(() => new ReplicateSecretToRegionsHandler(_api.East1).ExecuteAsync(request, TwoRegionApi.Context("ReplicateSecretToRegions"), default));

        Assert.Equal(AwsErrorCodes.Validation, error.Code);
    }

    [Fact]
    public async Task ReplicateSecretToRegions_KmsKeyIdThePeerDoesNotKnow_ThrowsInvalidParameter()
    {
        await _api.CreateAsync(_api.East1, "badkey", "v");

        var error = await Assert.ThrowsAsync<AwsException>(() => _api.ReplicateAsync("badkey", kmsKeyId: "alias/nobody"));

        Assert.Equal(AwsErrorCodes.InvalidParameter, error.Code);
        Assert.Null((await _api.DescribeAsync(_api.East1, "badkey")).ReplicationStatus);
    }

    [Fact]
    public async Task ReplicateSecretToRegions_KmsKeyIdTooLong_ThrowsValidation()
    {
        var error = await Assert.ThrowsAsync<AwsException>(() => _api.ReplicateAsync("x", kmsKeyId: new string('k', 2049)));

        Assert.Equal(AwsErrorCodes.Validation, error.Code);
    }

    [Fact]
    public async Task ListSecrets_PrimaryRegionFilter_MatchesReplicasAndReplicatedPrimariesOnly()
    {
        await _api.CreateAsync(_api.East1, "lone", "v");
        await _api.CreateAsync(_api.East1, "shared", "v");
        await _api.ReplicateAsync("shared");
        var filter = new List<Filter> { new() { Key = "primary-region", Values = [TwoRegionApi.East] } };

        var east = await new ListSecretsHandler(_api.East1).ExecuteAsync(new ListSecretsRequest { Filters = filter }, TwoRegionApi.Context("ListSecrets"), default);
        var west = await new ListSecretsHandler(_api.West1).ExecuteAsync(new ListSecretsRequest { Filters = filter }, TwoRegionApi.Context("ListSecrets"), default);

        Assert.Equal(["shared"], east.SecretList!.Select(s => s.Name));
        var replica = Assert.Single(west.SecretList!);
        Assert.Equal(("shared", TwoRegionApi.East), (replica.Name, replica.PrimaryRegion));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 500 && !await condition(); i++)
        {
            await Task.Delay(10);
        }
    }
}
