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
    public void Sorted_ReturnsOrdinalOrder()
    {
        Assert.Equal(["AWSCURRENT", "AWSPENDING", "PUT1", "one"], StagingLabels.Sorted(["one", "PUT1", "AWSPENDING", "AWSCURRENT"]));
    }
}
