using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.UnitTests.Model;

public class StagingLabelsTests
{
    private static SecretRecord Secret(params (string Id, int Minute, string[] Stages)[] versions)
    {
        var record = new SecretRecord { Name = "s", ArnSuffix = "abcdef", CreatedDate = DateTimeOffset.UnixEpoch };
        foreach (var (id, minute, stages) in versions)
        {
            record.Versions[id] = new VersionEntry { CreatedDate = DateTimeOffset.UnixEpoch.AddMinutes(minute), Stages = [.. stages] };
        }

        return record;
    }

    [Fact]
    public void Attach_Current_OldCurrentBecomesPreviousAndOldPreviousIsDeprecated()
    {
        var record = Secret(("v1", 1, ["AWSPREVIOUS"]), ("v2", 2, ["AWSCURRENT"]), ("v3", 3, []));

        StagingLabels.Attach(record, "v3", StagingLabels.Current);

        Assert.Empty(record.Versions["v1"].Stages);
        Assert.Equal(["AWSPREVIOUS"], record.Versions["v2"].Stages);
        Assert.Equal(["AWSCURRENT"], record.Versions["v3"].Stages);
    }

    [Fact]
    public void Attach_CustomLabel_MovesOnlyThatLabel()
    {
        var record = Secret(("v1", 1, ["AWSCURRENT", "blue"]), ("v2", 2, []));

        StagingLabels.Attach(record, "v2", "blue");

        Assert.Equal(["AWSCURRENT"], record.Versions["v1"].Stages);
        Assert.Equal(["blue"], record.Versions["v2"].Stages);
    }

    [Fact]
    public void Attach_LabelAlreadyThere_ChangesNothing()
    {
        var record = Secret(("v1", 1, ["AWSPREVIOUS"]), ("v2", 2, ["AWSCURRENT"]));

        StagingLabels.Attach(record, "v2", StagingLabels.Current);

        Assert.Equal(["AWSPREVIOUS"], record.Versions["v1"].Stages);
        Assert.Equal(["AWSCURRENT"], record.Versions["v2"].Stages);
    }

    [Fact]
    public void TrimDeprecated_OverLimit_RemovesOldestUnlabelledOnly()
    {
        var record = Secret(("keep-labelled", 0, ["old"]));
        for (var i = 1; i <= StagingLabels.MaxVersions + 1; i++)
        {
            record.Versions["v" + i] = new VersionEntry { CreatedDate = DateTimeOffset.UnixEpoch.AddMinutes(i), Stages = [] };
        }

        var removed = StagingLabels.TrimDeprecated(record);

        Assert.Equal(["v1", "v2"], removed);
        Assert.Equal(StagingLabels.MaxVersions, record.Versions.Count);
        Assert.Contains("keep-labelled", record.Versions.Keys);
    }

    [Fact]
    public void TrimDeprecated_AtLimit_RemovesNothing()
    {
        var record = Secret();
        for (var i = 0; i < StagingLabels.MaxVersions; i++)
        {
            record.Versions["v" + i] = new VersionEntry { CreatedDate = DateTimeOffset.UnixEpoch, Stages = [] };
        }

        Assert.Empty(StagingLabels.TrimDeprecated(record));
    }

    [Fact]
    public void MoveStage_LabelHeldElsewhereWithoutRemoveFrom_ThrowsNamingTheHolder()
    {
        var record = Secret(("v1", 1, ["AWSCURRENT", "blue"]), ("v2", 2, []));

        var error = Assert.Throws<AwsException>(() => StagingLabels.MoveStage(record, "blue", removeFrom: null, moveTo: "v2"));

        Assert.Equal("InvalidParameterException", error.Code);
        Assert.Contains("currently attached to version v1", error.Message, StringComparison.Ordinal);
        Assert.Equal(["AWSCURRENT", "blue"], record.Versions["v1"].Stages);
    }

    [Fact]
    public void MoveStage_CurrentWithRemoveFrom_MovesAndOldCurrentBecomesPrevious()
    {
        var record = Secret(("v1", 1, ["AWSCURRENT"]), ("v2", 2, ["AWSPENDING"]));

        StagingLabels.MoveStage(record, StagingLabels.Current, removeFrom: "v1", moveTo: "v2");

        Assert.Equal(["AWSPREVIOUS"], record.Versions["v1"].Stages);
        Assert.Equal(["AWSPENDING", "AWSCURRENT"], record.Versions["v2"].Stages);
    }

    [Fact]
    public void MoveStage_RemoveCurrentWithoutTarget_Throws()
    {
        var record = Secret(("v1", 1, ["AWSCURRENT"]));

        var error = Assert.Throws<AwsException>(() => StagingLabels.MoveStage(record, StagingLabels.Current, removeFrom: "v1", moveTo: null));

        Assert.Equal("InvalidParameterException", error.Code);
        Assert.Equal(["AWSCURRENT"], record.Versions["v1"].Stages);
    }

    [Fact]
    public void MoveStage_RemoveCustomLabel_DetachesIt()
    {
        var record = Secret(("v1", 1, ["AWSCURRENT", "blue"]));

        StagingLabels.MoveStage(record, "blue", removeFrom: "v1", moveTo: null);

        Assert.Equal(["AWSCURRENT"], record.Versions["v1"].Stages);
    }

    [Fact]
    public void MoveStage_RemoveFromVersionWithoutTheLabel_Throws()
    {
        var record = Secret(("v1", 1, ["AWSCURRENT"]), ("v2", 2, ["blue"]));

        var error = Assert.Throws<AwsException>(() => StagingLabels.MoveStage(record, "blue", removeFrom: "v1", moveTo: null));

        Assert.Equal("The staging label blue is not currently attached to version v1.", error.Message);
    }

    [Theory]
    [InlineData("missing", null)]
    [InlineData(null, "missing")]
    public void MoveStage_UnknownVersion_ThrowsResourceNotFound(string? removeFrom, string? moveTo)
    {
        var record = Secret(("v1", 1, ["AWSCURRENT", "blue"]));

        var error = Assert.Throws<AwsException>(() => StagingLabels.MoveStage(record, "blue", removeFrom, moveTo));

        Assert.Equal("ResourceNotFoundException", error.Code);
    }

    [Fact]
    public void MoveStage_NeitherVersionNamed_ChangesNothing()
    {
        var record = Secret(("v1", 1, ["AWSCURRENT"]));

        StagingLabels.MoveStage(record, "blue", removeFrom: null, moveTo: null);

        Assert.Equal(["AWSCURRENT"], record.Versions["v1"].Stages);
    }

    [Fact]
    public void MoveStage_TargetAlreadyHoldsTwentyLabels_ThrowsLimitExceeded()
    {
        var record = Secret(("v1", 1, ["AWSCURRENT"]), ("v2", 2, [.. Enumerable.Range(0, StagingLabels.MaxLabelsPerVersion).Select(i => $"l{i}")]));

        var error = Assert.Throws<AwsException>(() => StagingLabels.MoveStage(record, "blue", removeFrom: null, moveTo: "v2"));

        Assert.Equal("LimitExceededException", error.Code);
    }

    [Fact]
    public void MoveStage_TargetAlreadyHoldsTheLabel_IsNoChangeEvenAtTwentyLabels()
    {
        var labels = Enumerable.Range(0, StagingLabels.MaxLabelsPerVersion - 1).Select(i => $"l{i}").Append("blue").ToArray();
        var record = Secret(("v1", 1, ["AWSCURRENT"]), ("v2", 2, labels));

        StagingLabels.MoveStage(record, "blue", removeFrom: "v2", moveTo: "v2");

        Assert.Equal(labels, record.Versions["v2"].Stages);
    }

    [Fact]
    public void Sorted_ReturnsOrdinalOrder()
    {
        Assert.Equal(["AWSCURRENT", "AWSPENDING", "PUT1", "one"], StagingLabels.Sorted(["one", "PUT1", "AWSPENDING", "AWSCURRENT"]));
    }
}
