using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Rotation;
using static FuncSecrets.UnitTests.Model.SecretFactory;

namespace FuncSecrets.UnitTests.Model;

/// <summary>Rotation's label and lease rules on the aggregate alone (issue 12).</summary>
public class SecretRotationTests
{
    private const string Function = "arn:aws:lambda:us-east-1:123456789012:function:rotate";
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly RotationSettings Settings = new(Function, new RotationRules(7, null, null), RotateImmediately: true);

    [Fact]
    public void BeginRotation_NoPending_AnnouncesPendingVersionTakesLeaseAndStoresSettings()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));

        var start = secret.BeginRotation("token-2", Settings, "owner", Lease, Now)!;

        var change = secret.Change()!;
        Assert.Equal(["AWSPENDING"], Stages(change, "token-2"));
        Assert.Empty(change.Added);
        Assert.True(start.CreatedPlaceholder);
        Assert.Equal(Function, start.Function);
        Assert.Equal(Now + Lease, start.LeaseExpiresAt);
        Assert.Equal(new RotationLease("token-2", Now + Lease, "owner"), RotationLease.Read(change.Record.RotationToken));
        Assert.True(change.Record.RotationEnabled);
        Assert.Equal(Function, change.Record.RotationLambdaArn);
        Assert.NotNull(start.NextWindowStart);
        Assert.Equal(Now, change.Record.LastChangedDate);
    }

    [Fact]
    public void BeginRotation_PendingOnCurrent_MovesItToTheNewVersion()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT", "AWSPENDING"]));

        var start = secret.BeginRotation("token-2", null, "owner", Lease, Now)!;

        var change = secret.Change()!;
        Assert.Equal(["AWSCURRENT"], Stages(change, "v1"));
        Assert.Equal(["AWSPENDING"], Stages(change, "token-2"));
        Assert.Equal("v1", start.DetachedPendingFrom);
    }

    [Fact]
    public void BeginRotation_AnotherRotationPending_ThrowsInProgress()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]), ("v2", 2, ["AWSPENDING"]));

        var error = Assert.Throws<AwsException>(() => secret.BeginRotation("token-3", null, "owner", Lease, Now));

        Assert.Equal("InvalidRequestException", error.Code);
        Assert.Null(secret.Change());
    }

    [Fact]
    public void BeginRotation_SameTokenWhileItsRunHoldsTheLease_StartsNothing()
    {
        var record = Record(("v1", 1, ["AWSCURRENT"]), ("v2", 2, ["AWSPENDING"]));
        record.RotationToken = new RotationLease("v2", Now.AddMinutes(1), "other").Format();
        var secret = new Secret(record, Options);

        Assert.Null(secret.BeginRotation("v2", null, "owner", Lease, Now));
        Assert.Null(secret.Change());
    }

    [Fact]
    public void BeginRotation_PendingRunWithExpiredLease_ResumesWithTheSameToken()
    {
        var record = Record(("v1", 1, ["AWSCURRENT"]), ("v2", 2, ["AWSPENDING"]));
        record.RotationToken = new RotationLease("v2", Now.AddMinutes(-1), "dead").Format();
        var secret = new Secret(record, Options);

        var start = secret.BeginRotation(null, null, "owner", Lease, Now)!;

        Assert.Equal("v2", start.Token);
        Assert.False(start.CreatedPlaceholder);
        Assert.Equal("owner", RotationLease.Read(secret.Change()!.Record.RotationToken)!.Value.Owner);
    }

    [Fact]
    public void BeginRotation_TokenOfFinishedRotation_StartsNothing()
    {
        Assert.Null(SecretWith(("v1", 1, ["AWSCURRENT"])).BeginRotation("v1", null, "owner", Lease, Now));
    }

    [Fact]
    public void BeginRotation_TokenOfAnOlderVersion_ThrowsTokenInUse()
    {
        var secret = SecretWith(("v0", 0, ["AWSPREVIOUS"]), ("v1", 1, ["AWSCURRENT"]));

        var error = Assert.Throws<AwsException>(() => secret.BeginRotation("v0", null, "owner", Lease, Now));

        Assert.Equal("InvalidRequestException", error.Code);
    }

    [Fact]
    public void FillPendingVersion_PendingVersion_AddsTheValueKeepingCurrent()
    {
        var secret = Begun(out _);

        secret.FillPendingVersion(Fresh("token-2", TokenMatch.Unfilled), Now);

        var change = secret.Change()!;
        Assert.Equal(["AWSCURRENT"], Stages(change, "v1"));
        Assert.Equal(["AWSPENDING"], Stages(change, "token-2"));
        Assert.Equal(["token-2"], change.Added.Select(v => v.VersionId));
        Assert.Null(change.CopyCurrentFrom);
    }

    [Fact]
    public void FillPendingVersion_NoLongerPending_ThrowsCancelled()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]), ("token-2", 2, []));

        var error = Assert.Throws<AwsException>(() => secret.FillPendingVersion(Fresh("token-2", TokenMatch.Unfilled), Now));

        Assert.Equal("The rotation was cancelled: the version is no longer AWSPENDING.", error.Message);
    }

    [Fact]
    public void FinishRotation_MovesCurrentAndTakesPendingOff()
    {
        var secret = SecretWith(("v0", 0, ["AWSPREVIOUS"]), ("v1", 1, ["AWSCURRENT"]), ("v2", 2, ["AWSPENDING"]));

        secret.FinishRotation("v2", Now);

        var change = secret.Change()!;
        Assert.Empty(Stages(change, "v0"));
        Assert.Equal(["AWSPREVIOUS"], Stages(change, "v1"));
        Assert.Equal(["AWSCURRENT"], Stages(change, "v2"));
        Assert.Equal("v2", change.CopyCurrentFrom);
    }

    [Fact]
    public void FinishRotation_AlreadyFinished_ChangesNothing()
    {
        var secret = SecretWith(("v1", 1, ["AWSPREVIOUS"]), ("v2", 2, ["AWSCURRENT"]));

        secret.FinishRotation("v2", Now);

        Assert.Null(secret.Change());
    }

    [Fact]
    public void CompleteRotation_CurrentOnTheRunsVersion_ReleasesLeaseAndTakesPendingOff()
    {
        var secret = Begun(out var run);
        secret.FillPendingVersion(Fresh("token-2", TokenMatch.Unfilled), Now);
        secret.FinishRotation("token-2", Now);
        var after = new Secret(secret.Change()!.Record, Options);

        Assert.True(after.CompleteRotation(run, Now, out var next));

        var change = after.Change()!;
        Assert.Equal(["AWSCURRENT"], Stages(change, "token-2"));
        Assert.Equal(["AWSPREVIOUS"], Stages(change, "v1"));
        Assert.Null(change.Record.RotationToken);
        Assert.Equal(Now, change.Record.LastRotatedDate);
        Assert.NotNull(next);
    }

    [Fact]
    public void CompleteRotation_CurrentNotMoved_ReturnsFalseAndChangesNothing()
    {
        var secret = Begun(out var run);

        Assert.False(secret.CompleteRotation(run, Now, out _));
        Assert.Null(secret.Change());
    }

    [Fact]
    public void RenewRotation_LeaseTakenOver_ReturnsFalse()
    {
        var secret = Begun(out var run);

        Assert.False(secret.RenewRotation(run with { Owner = "someone-else" }, Now + Lease));
        Assert.True(secret.RenewRotation(run, Now + Lease + Lease));
        Assert.Equal(Now + Lease + Lease, RotationLease.Read(secret.Change()!.Record.RotationToken)!.Value.ExpiresAt);
    }

    [Fact]
    public void RollBackRotation_FunctionUnreachable_RestoresSettingsAndPendingHolder()
    {
        var record = Record(("v1", 1, ["AWSCURRENT", "AWSPENDING"]));
        var first = new Secret(record, Options);
        var start = first.BeginRotation("token-2", Settings, "owner", Lease, Now)!;
        var secret = new Secret(first.Change()!.Record, Options);

        secret.RollBackRotation(RunOf(secret, start, "owner"), placeholderStored: false);

        var change = secret.Change()!;
        Assert.False(change.Record.Versions.ContainsKey("token-2"));
        Assert.Equal(["AWSCURRENT", "AWSPENDING"], Stages(change, "v1"));
        Assert.Null(change.Record.RotationEnabled);
        Assert.Null(change.Record.RotationLambdaArn);
        Assert.Null(change.Record.RotationToken);
    }

    [Fact]
    public void EndRotationTest_PlaceholderWasFilled_KeepsTheVersionWithoutPending()
    {
        var secret = Begun(out var run);

        secret.EndRotationTest(run, placeholderStored: true);

        var change = secret.Change()!;
        Assert.Empty(Stages(change, "token-2"));
        Assert.Null(change.Record.RotationToken);
    }

    [Fact]
    public void CancelRotation_NoFunction_ThrowsNotConfigured()
    {
        var error = Assert.Throws<AwsException>(() => SecretWith(("v1", 1, ["AWSCURRENT"])).CancelRotation(Now));

        Assert.Equal("InvalidRequestException", error.Code);
    }

    [Fact]
    public void CancelRotation_InProgress_TurnsOffReleasesLeaseAndKeepsLabels()
    {
        var secret = Begun(out _);

        Assert.Equal("token-2", secret.CancelRotation(Now));

        var change = secret.Change()!;
        Assert.False(change.Record.RotationEnabled);
        Assert.Null(change.Record.RotationToken);
        Assert.Equal(["AWSPENDING"], Stages(change, "token-2"));
    }

    /// <summary>A secret (fresh copy) whose rotation to "token-2" has begun, and that run.</summary>
    private static Secret Begun(out RotationRun run)
    {
        var first = SecretWith(("v1", 1, ["AWSCURRENT"]));
        var start = first.BeginRotation("token-2", Settings, "owner", Lease, Now)!;
        var secret = new Secret(first.Change()!.Record, Options);
        run = RunOf(secret, start, "owner");
        return secret;
    }

    private static RotationRun RunOf(Secret secret, RotationStart start, string owner) =>
        new(secret.Name, secret.ArnSuffix, secret.Arn, start.Token, start.Function, owner, start.Previous, start.CreatedPlaceholder, start.DetachedPendingFrom);
}
