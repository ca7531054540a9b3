using FuncSecrets.Core;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Model;

namespace FuncSecrets.UnitTests.Model;

/// <summary>Secrets in a given label state, and new versions for them: no storage, no crypto.</summary>
internal static class SecretFactory
{
    public static readonly ServiceOptions Options = new();

    public static readonly DateTimeOffset Now = new(2024, 8, 1, 12, 0, 0, TimeSpan.Zero);

    public static SecretRecord Record(params (string Id, int Minute, string[] Stages)[] versions)
    {
        var record = new SecretRecord { Name = "s", ArnSuffix = "abcdef", CreatedDate = DateTimeOffset.UnixEpoch, ETag = "etag-1" };
        foreach (var (id, minute, stages) in versions)
        {
            record.Versions[id] = new VersionEntry { CreatedDate = DateTimeOffset.UnixEpoch.AddMinutes(minute), Stages = [.. stages] };
        }

        record.CurrentValue = record.CurrentVersionId is { } current ? Sealed(current) : null;
        return record;
    }

    public static Secret SecretWith(params (string Id, int Minute, string[] Stages)[] versions) => new(Record(versions), Options);

    public static SealedValue Sealed(string versionId) => new("local", [1], [2], System.Text.Encoding.UTF8.GetBytes(versionId));

    public static NewVersion Fresh(string versionId, TokenMatch match = TokenMatch.Absent) =>
        new(versionId, match, new StoredVersion { VersionId = versionId, CreatedDate = Now, Value = Sealed(versionId) });

    public static NewVersion Existing(string versionId, TokenMatch match) => new(versionId, match, null);

    /// <summary>The labels on one version after the change, in the order they were attached.</summary>
    public static List<string> Stages(SecretChange change, string versionId) => change.Record.Versions[versionId].Stages;

    /// <summary>A secret scheduled for deletion, with one version.</summary>
    public static Secret Deleted()
    {
        var record = Record(("v1", 1, ["AWSCURRENT"]));
        record.DeletedDate = Now.AddDays(-1);
        record.PurgeDate = Now.AddDays(6);
        record.RotationLambdaArn = "arn:aws:lambda:us-east-1:123456789012:function:rotate";
        record.ResourcePolicy = "{}";
        return new Secret(record, Options);
    }
}
