using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using static FuncSecrets.UnitTests.Model.SecretFactory;

namespace FuncSecrets.UnitTests.Model;

/// <summary>The aggregate's invariants, each shown on the aggregate alone (issue 12).</summary>
public class SecretTests
{
    [Fact]
    public void AddVersion_FirstVersionWithoutCurrent_GetsCurrent()
    {
        var secret = Secret.Create("s", null, null, null, Now, Options);

        secret.AddVersion(Fresh("v1"), ["blue"], Now);

        var change = secret.Change()!;
        Assert.True(change.IsNew);
        Assert.Equal(["blue", "AWSCURRENT"], Stages(change, "v1"));
        Assert.Equal("v1", change.CopyCurrentFrom);
    }

    [Fact]
    public void AddVersion_NewCurrent_FormerCurrentIsPreviousAndOldPreviousDeprecated()
    {
        var secret = SecretWith(("v1", 1, ["AWSPREVIOUS"]), ("v2", 2, ["AWSCURRENT"]));

        secret.AddVersion(Fresh("v3"), [StagingLabels.Current], Now);

        var change = secret.Change()!;
        Assert.Empty(Stages(change, "v1"));
        Assert.Equal(["AWSPREVIOUS"], Stages(change, "v2"));
        Assert.Equal(["AWSCURRENT"], Stages(change, "v3"));
        Assert.Equal("v3", change.CopyCurrentFrom);
        Assert.Equal(["v3"], change.Added.Select(v => v.VersionId));
        Assert.Equal(Now, change.Record.LastChangedDate);
    }

    [Fact]
    public void AddVersion_CurrentMovesOffPendingVersion_FormerKeepsOnlyPrevious_Issue11()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT", "AWSPENDING"]));

        secret.AddVersion(Fresh("v2"), [StagingLabels.Current], Now);

        var change = secret.Change()!;
        Assert.Equal(["AWSPREVIOUS"], Stages(change, "v1"));
        Assert.Equal(["AWSCURRENT"], Stages(change, "v2"));
    }

    [Fact]
    public void AddVersion_CustomStages_MovesOnlyThoseAndCurrentStays()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT", "blue"]));

        secret.AddVersion(Fresh("v2"), ["blue", "blue"], Now);

        var change = secret.Change()!;
        Assert.Equal(["AWSCURRENT"], Stages(change, "v1"));
        Assert.Equal(["blue"], Stages(change, "v2"));
        Assert.Null(change.CopyCurrentFrom);
    }

    [Fact]
    public void AddVersion_SameTokenSameValue_IsARetryAndChangesNothing()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));

        secret.AddVersion(Existing("v1", TokenMatch.SameValue), [StagingLabels.Current], Now);

        Assert.Null(secret.Change());
    }

    [Fact]
    public void AddVersion_SameTokenOtherValue_ThrowsResourceExists()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));

        var error = Assert.Throws<AwsException>(() => secret.AddVersion(Existing("v1", TokenMatch.OtherValue), [StagingLabels.Current], Now));

        Assert.Equal("ResourceExistsException", error.Code);
        Assert.Equal($"You can't use ClientRequestToken v1 because that value is already in use for a version of secret {secret.Arn}.", error.Message);
    }

    [Fact]
    public void AddVersion_OverLimit_RemovesOldestDeprecatedOnly()
    {
        var record = Record(("keep-labelled", 0, ["old"]), ("cur", 0, ["AWSCURRENT"]));
        for (var i = 1; i <= StagingLabels.MaxVersions - 2; i++)
        {
            record.Versions["v" + i] = new VersionEntry { CreatedDate = DateTimeOffset.UnixEpoch.AddMinutes(i), Stages = [] };
        }

        var secret = new Secret(record, Options);
        secret.AddVersion(Fresh("new"), [StagingLabels.Current], Now);

        // 101 versions: "cur" became AWSPREVIOUS, so the oldest label-less one goes.
        var change = secret.Change()!;
        Assert.Equal(["v1"], change.Removed);
        Assert.Equal(StagingLabels.MaxVersions, change.Record.Versions.Count);
        Assert.Contains("keep-labelled", change.Record.Versions.Keys);
    }

    [Fact]
    public void AddVersion_AtLimitWithEveryOtherVersionLabelled_NewLabelLessVersionThrowsLimitExceeded()
    {
        var record = Record(("cur", 0, ["AWSCURRENT"]));
        for (var i = 1; i < StagingLabels.MaxVersions; i++)
        {
            record.Versions["v" + i] = new VersionEntry { CreatedDate = DateTimeOffset.UnixEpoch.AddMinutes(i), Stages = ["l" + i] };
        }

        var secret = new Secret(record, Options);

        var error = Assert.Throws<AwsException>(() => secret.AddVersion(Fresh("new"), [], Now));
        Assert.Equal("LimitExceededException", error.Code);
    }

    [Fact]
    public void AddVersion_AtLimit_RemovesNothingWhenNothingIsOver()
    {
        var record = Record(("cur", 0, ["AWSCURRENT"]));
        for (var i = 1; i < StagingLabels.MaxVersions - 1; i++)
        {
            record.Versions["v" + i] = new VersionEntry { CreatedDate = DateTimeOffset.UnixEpoch, Stages = [] };
        }

        var secret = new Secret(record, Options);
        secret.AddVersion(Fresh("new"), [StagingLabels.Current], Now);

        Assert.Empty(secret.Change()!.Removed);
    }

    [Fact]
    public void MoveLabel_Current_OldCurrentBecomesPreviousAndCopyFollows()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]), ("v2", 2, ["AWSPENDING"]));

        secret.MoveLabel(StagingLabels.Current, removeFrom: "v1", moveTo: "v2", Now);

        var change = secret.Change()!;
        Assert.Equal(["AWSPREVIOUS"], Stages(change, "v1"));
        Assert.Equal(["AWSPENDING", "AWSCURRENT"], Stages(change, "v2"));
        Assert.Equal("v2", change.CopyCurrentFrom);
        Assert.Empty(change.Added);
    }

    [Fact]
    public void MoveLabel_CurrentBackToPrevious_ExactlyOneCurrentAndPreviousFollows()
    {
        var secret = SecretWith(("v1", 1, ["AWSPREVIOUS"]), ("v2", 2, ["AWSCURRENT"]));

        secret.MoveLabel(StagingLabels.Current, removeFrom: "v2", moveTo: "v1", Now);

        var change = secret.Change()!;
        Assert.Equal(["AWSCURRENT"], Stages(change, "v1"));
        Assert.Equal(["AWSPREVIOUS"], Stages(change, "v2"));
    }

    [Fact]
    public void MoveLabel_CurrentWithoutRemoveFrom_ThrowsNamingTheHolder()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]), ("v2", 2, []));

        var error = Assert.Throws<AwsException>(() => secret.MoveLabel(StagingLabels.Current, removeFrom: null, moveTo: "v2", Now));

        Assert.Equal("InvalidParameterException", error.Code);
        Assert.Equal(
            "The parameter RemoveFromVersionId can't be empty. Staging label AWSCURRENT is currently attached to version v1, so you must explicitly reference that version in RemoveFromVersionId.",
            error.Message);
    }

    [Fact]
    public void MoveLabel_LabelHeldElsewhereWithoutRemoveFrom_ThrowsAndChangesNothing()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT", "blue"]), ("v2", 2, []));

        var error = Assert.Throws<AwsException>(() => secret.MoveLabel("blue", removeFrom: null, moveTo: "v2", Now));

        Assert.Contains("currently attached to version v1", error.Message, StringComparison.Ordinal);
        Assert.Null(secret.Change());
    }

    [Fact]
    public void MoveLabel_RemoveCurrentWithoutTarget_Throws()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));

        var error = Assert.Throws<AwsException>(() => secret.MoveLabel(StagingLabels.Current, removeFrom: "v1", moveTo: null, Now));

        Assert.Equal("InvalidParameterException", error.Code);
    }

    [Fact]
    public void MoveLabel_RemoveCustomLabel_DetachesIt()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT", "blue"]));

        secret.MoveLabel("blue", removeFrom: "v1", moveTo: null, Now);

        Assert.Equal(["AWSCURRENT"], Stages(secret.Change()!, "v1"));
    }

    [Fact]
    public void MoveLabel_RemoveFromVersionWithoutTheLabel_Throws()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]), ("v2", 2, ["blue"]));

        var error = Assert.Throws<AwsException>(() => secret.MoveLabel("blue", removeFrom: "v1", moveTo: null, Now));

        Assert.Equal("The staging label blue is not currently attached to version v1.", error.Message);
    }

    [Theory]
    [InlineData("missing", null)]
    [InlineData(null, "missing")]
    public void MoveLabel_UnknownVersion_ThrowsResourceNotFound(string? removeFrom, string? moveTo)
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT", "blue"]));

        var error = Assert.Throws<AwsException>(() => secret.MoveLabel("blue", removeFrom, moveTo, Now));

        Assert.Equal("ResourceNotFoundException", error.Code);
    }

    [Fact]
    public void MoveLabel_NeitherVersionNamed_LeavesLabels()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));

        secret.MoveLabel("blue", removeFrom: null, moveTo: null, Now);

        Assert.Equal(["AWSCURRENT"], Stages(secret.Change()!, "v1"));
    }

    [Fact]
    public void MoveLabel_TargetAlreadyHoldsTwentyLabels_ThrowsLimitExceeded()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]), ("v2", 2, [.. Enumerable.Range(0, StagingLabels.MaxLabelsPerVersion).Select(i => $"l{i}")]));

        var error = Assert.Throws<AwsException>(() => secret.MoveLabel("blue", removeFrom: null, moveTo: "v2", Now));

        Assert.Equal("LimitExceededException", error.Code);
    }

    [Fact]
    public void MoveLabel_TargetAlreadyHoldsTheLabel_IsNoChangeEvenAtTwentyLabels()
    {
        var labels = Enumerable.Range(0, StagingLabels.MaxLabelsPerVersion - 1).Select(i => $"l{i}").Append("blue").ToArray();
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]), ("v2", 2, labels));

        secret.MoveLabel("blue", removeFrom: "v2", moveTo: "v2", Now);

        Assert.Equal(labels, Stages(secret.Change()!, "v2"));
    }

    [Fact]
    public void MoveLabel_LastLabelOffAVersionOverTheLimit_TrimsIt()
    {
        var record = Record(("cur", 0, ["AWSCURRENT"]), ("blue", 0, ["blue"]));
        for (var i = 1; i < StagingLabels.MaxVersions - 1; i++)
        {
            record.Versions["v" + i] = new VersionEntry { CreatedDate = DateTimeOffset.UnixEpoch.AddMinutes(i), Stages = ["l" + i] };
        }

        record.Versions["extra"] = new VersionEntry { CreatedDate = DateTimeOffset.UnixEpoch.AddMinutes(500), Stages = ["x"] };
        var secret = new Secret(record, Options);

        secret.MoveLabel("blue", removeFrom: "blue", moveTo: null, Now);

        Assert.Equal(["blue"], secret.Change()!.Removed);
    }

    [Fact]
    public void Change_NothingDone_IsNull()
    {
        Assert.Null(SecretWith(("v1", 1, ["AWSCURRENT"])).Change());
    }

    [Fact]
    public void Change_LeavesTheLoadedRecordAlone()
    {
        var record = Record(("v1", 1, ["AWSCURRENT"]));
        var secret = new Secret(record, Options);

        secret.AddVersion(Fresh("v2"), [StagingLabels.Current], Now);

        Assert.Equal(["AWSCURRENT"], record.Versions["v1"].Stages);
        Assert.False(record.Versions.ContainsKey("v2"));
    }

    [Fact]
    public void Change_CurrentCopyMissing_NamesCurrentToCopy()
    {
        var record = Record(("v1", 1, ["AWSCURRENT"]));
        record.CurrentValue = null;
        var secret = new Secret(record, Options);

        secret.Tag([new Tag("k", "v")]);

        Assert.Equal("v1", secret.Change()!.CopyCurrentFrom);
    }

    [Fact]
    public void AnswerRepeatedCreate_SameTokenSameValue_AnswersTheVersion()
    {
        Assert.Equal("v1", SecretWith(("v1", 1, ["AWSCURRENT"])).AnswerRepeatedCreate("v1", TokenMatch.SameValue));
    }

    [Fact]
    public void AnswerRepeatedCreate_SameTokenOtherValue_ThrowsResourceExists()
    {
        var error = Assert.Throws<AwsException>(() => SecretWith(("v1", 1, ["AWSCURRENT"])).AnswerRepeatedCreate("v1", TokenMatch.OtherValue));

        Assert.StartsWith("You can't use ClientRequestToken v1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnswerRepeatedCreate_OtherToken_ThrowsNameTaken()
    {
        var error = Assert.Throws<AwsException>(() => SecretWith(("v1", 1, ["AWSCURRENT"])).AnswerRepeatedCreate("v2", TokenMatch.Absent));

        Assert.Equal("ResourceExistsException", error.Code);
        Assert.Equal("The operation failed because the secret s already exists.", error.Message);
    }

    [Fact]
    public void AnswerRepeatedCreate_ScheduledForDeletion_ThrowsScheduled()
    {
        var error = Assert.Throws<AwsException>(() => Deleted().AnswerRepeatedCreate("v1", TokenMatch.SameValue));

        Assert.Equal("You can't create this secret because a secret with this name is already scheduled for deletion.", error.Message);
    }

    public static TheoryData<string> RefusedWhenDeleted =>
    [
        "AddVersion", "MoveLabel", "Update", "Tag", "Untag", "SetPolicy", "DeletePolicy", "ScheduleDeletion", "CancelRotation", "BeginRotation", "FinishRotation",
    ];

    [Theory]
    [MemberData(nameof(RefusedWhenDeleted))]
    public void Operation_ScheduledForDeletion_ThrowsMarkedForDeletion(string operation)
    {
        var secret = Deleted();
        Action act = operation switch
        {
            "AddVersion" => () => secret.AddVersion(Fresh("v2"), [StagingLabels.Current], Now),
            "MoveLabel" => () => secret.MoveLabel("blue", null, "v1", Now),
            "Update" => () => secret.Update("d", null, [], null, Now),
            "Tag" => () => secret.Tag([new Tag("k", "v")]),
            "Untag" => () => secret.Untag(["k"]),
            "SetPolicy" => () => secret.SetPolicy("{}"),
            "DeletePolicy" => () => secret.DeletePolicy(),
            "ScheduleDeletion" => () => secret.ScheduleDeletion(Now.AddDays(7), Now),
            "CancelRotation" => () => secret.CancelRotation(Now),
            "BeginRotation" => () => secret.BeginRotation(null, null, "owner", TimeSpan.FromMinutes(1), Now),
            _ => () => secret.FinishRotation("v1", Now),
        };

        var error = Assert.Throws<AwsException>(act);

        Assert.Equal("InvalidRequestException", error.Code);
        Assert.Equal("You can't perform this operation on the secret because it was marked for deletion.", error.Message);
        Assert.Null(secret.Change());
    }

    [Fact]
    public void Restore_ScheduledForDeletion_ClearsTheDates()
    {
        var secret = Deleted();

        secret.Restore();

        var change = secret.Change()!;
        Assert.Null(change.Record.DeletedDate);
        Assert.Null(change.Record.PurgeDate);
    }

    [Fact]
    public void Restore_LiveSecret_ChangesNothing()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));

        secret.Restore();

        Assert.Null(secret.Change());
    }

    [Fact]
    public void ScheduleDeletion_Live_SetsDeletedAndPurgeDates()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));

        secret.ScheduleDeletion(Now.AddDays(7), Now);

        var change = secret.Change()!;
        Assert.Equal(Now, change.Record.DeletedDate);
        Assert.Equal(Now.AddDays(7), change.Record.PurgeDate);
    }

    [Fact]
    public void Tag_ExistingKey_ReplacesItsValue()
    {
        var secret = SecretWith();
        secret.Tag([new Tag("a", "1"), new Tag("b", "2")]);
        secret.Tag([new Tag("a", "3")]);

        Assert.Equal([new Tag("a", "3"), new Tag("b", "2")], secret.Change()!.Record.Tags);
    }

    [Fact]
    public void Tag_MoreThanFifty_ThrowsInvalidParameter()
    {
        var secret = SecretWith();

        var error = Assert.Throws<AwsException>(() => secret.Tag([.. Enumerable.Range(0, 51).Select(i => new Tag("k" + i, "v"))]));

        Assert.Equal("Number of tags exceeds Secrets Manager tag limit.", error.Message);
    }

    [Fact]
    public void Untag_LastTag_LeavesEmptyListNotNull()
    {
        var secret = SecretWith();
        secret.Tag([new Tag("a", "1")]);
        secret.Untag(["a"]);

        Assert.Equal([], secret.Change()!.Record.Tags);
    }

    [Fact]
    public void DeletePolicy_NoPolicy_ChangesNothing()
    {
        var secret = SecretWith();

        secret.DeletePolicy();

        Assert.Null(secret.Change());
    }

    [Fact]
    public void Update_NewKey_AddsRewrappedAndCopiesCurrentFromThem()
    {
        var secret = SecretWith(("v1", 1, ["AWSPREVIOUS"]), ("v2", 2, ["AWSCURRENT"]), ("v0", 0, []));
        Assert.Equal(["v1", "v2"], secret.VersionsToRewrap("alias/new").Order(StringComparer.Ordinal));

        var rewrapped = new List<StoredVersion> { Fresh("v1").Sealed!, Fresh("v2").Sealed! };
        secret.Update(null, "alias/new", rewrapped, null, Now);

        var change = secret.Change()!;
        Assert.Equal("alias/new", change.Record.KmsKeyId);
        Assert.Equal(rewrapped, change.Added);
        Assert.Equal("v2", change.CopyCurrentFrom);
    }

    [Fact]
    public void Update_SameKeyOrNone_RewrapsNothing()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));

        Assert.Empty(secret.VersionsToRewrap(null));
        Assert.Empty(secret.VersionsToRewrap(string.Empty));
    }

    [Fact]
    public void Update_EmptyDescription_RemovesIt()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));
        secret.Update("d", null, [], null, Now);
        secret.Update(string.Empty, null, [], null, Now);

        Assert.Null(secret.Change()!.Record.Description);
    }

    [Fact]
    public void Update_RetriedValueNoNewKey_ChangesNothing()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));

        secret.Update("other", null, [], Existing("v1", TokenMatch.SameValue), Now);

        Assert.Null(secret.Change());
    }

    [Fact]
    public void Update_WithValue_AddsCurrentVersion()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));

        secret.Update("d", null, [], Fresh("v2"), Now);

        var change = secret.Change()!;
        Assert.Equal("d", change.Record.Description);
        Assert.Equal(["AWSPREVIOUS"], Stages(change, "v1"));
        Assert.Equal(["AWSCURRENT"], Stages(change, "v2"));
    }

    [Fact]
    public void Promote_Replica_BecomesStandaloneAndNamesFormerPrimary_Issue14()
    {
        var record = Record(("v1", 1, ["AWSCURRENT"]));
        record.PrimaryRegion = "us-east-1";
        var secret = new Secret(record, Options);

        var promotion = secret.Promote();

        var change = secret.Change()!;
        Assert.Null(change.Record.PrimaryRegion);
        Assert.Equal("us-east-1", promotion.FormerPrimaryRegion);
        Assert.Null(promotion.NextRotation);
        Assert.Empty(change.Added);
        Assert.Null(change.CopyCurrentFrom);
    }

    [Fact]
    public void Promote_ReplicaWithRotation_AnswersWhenThisRegionMustRotate_Issue14()
    {
        var record = Record(("v1", 1, ["AWSCURRENT"]));
        record.PrimaryRegion = "us-east-1";
        record.RotationEnabled = true;
        record.NextRotationDate = Now.AddDays(3);

        var promotion = new Secret(record, Options).Promote();

        Assert.Equal(Now.AddDays(3), promotion.NextRotation);
    }

    [Fact]
    public void Promote_Primary_RefusedAsNotAReplica_Issue14()
    {
        var secret = SecretWith(("v1", 1, ["AWSCURRENT"]));

        var error = Assert.Throws<AwsException>(() => secret.Promote());

        Assert.Equal(AwsErrors.NotAReplica().Code, error.Code);
        Assert.Equal(AwsErrors.NotAReplica().Message, error.Message);
        Assert.Null(secret.Change());
    }
}
