using System.Security.Cryptography;
using Azure.Data.Tables;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.UnitTests.Tables;

public sealed class SecretEntityMapperTests
{
    private static readonly DateTimeOffset Created = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MetaEntity_MappedBack_RoundTripsTheRecord()
    {
        var sealedValue = new SealedValue("kv:key/1", RandomNumberGenerator.GetBytes(256), RandomNumberGenerator.GetBytes(12), RandomNumberGenerator.GetBytes(70_000));
        var record = new SecretRecord
        {
            Name = "a/b",
            ArnSuffix = "abcDEF",
            Tags = [new Tag("k", "v\u00e9")],
            RotationRules = new RotationRules(null, null, "cron(0 16 1,15 * ? *)"),
            DeletedDate = Created.AddDays(1),
            PurgeDate = Created.AddDays(8),
            CreatedDate = Created,
            Versions =
            {
                ["v1"] = new VersionEntry { CreatedDate = Created, Stages = ["AWSPREVIOUS"] },
                ["v2"] = new VersionEntry { CreatedDate = Created.AddHours(1), Stages = ["AWSCURRENT", "custom"] },
            },
            CurrentValue = sealedValue,
        };

        var entity = SecretEntityMapper.ToMetaEntity(record);
        var read = SecretEntityMapper.FromMetaEntity(entity);

        Assert.Equal("a|b", entity.PartitionKey);
        Assert.Equal("meta", entity.RowKey);
        Assert.Equal("a/b", read.Name);
        Assert.Equal(record.Tags, read.Tags);
        Assert.Equal(record.RotationRules, read.RotationRules);
        Assert.Equal(record.DeletedDate, read.DeletedDate);
        Assert.Equal(record.PurgeDate, read.PurgeDate);
        Assert.Equal(["AWSCURRENT", "custom"], read.Versions["v2"].Stages);
        Assert.Equal(Created.AddHours(1), read.Versions["v2"].CreatedDate);
        Assert.Equal(sealedValue.Ciphertext, read.CurrentValue!.Ciphertext);
        Assert.Equal(sealedValue.WrappedKey, read.CurrentValue.WrappedKey);
        Assert.Equal(65_536, ((byte[])entity["CurCt"]).Length);
        Assert.Equal(70_000 - 65_536, ((byte[])entity["CurCt2"]).Length);
    }

    [Fact]
    public void ToVersionEntity_VersionWithoutValue_Throws()
    {
        var version = new StoredVersion { VersionId = "v1", CreatedDate = Created };

        Assert.Throws<ArgumentException>(() => SecretEntityMapper.ToVersionEntity("n", version));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(65_536, 1)]
    [InlineData(65_537, 2)]
    [InlineData(65_553, 2)]
    public void SetBinary_Length_SplitsAt64KiB(int length, int parts)
    {
        var entity = new TableEntity("p", "r");
        var value = RandomNumberGenerator.GetBytes(length);

        SecretEntityMapper.SetBinary(entity, "Ct", value);

        Assert.Equal(parts, entity.Keys.Count(k => k.StartsWith("Ct", StringComparison.Ordinal)));
        Assert.Equal(value, SecretEntityMapper.GetBinary(entity, "Ct"));
    }

    [Fact]
    public void SetString_LongTextWithSurrogatePairAtTheCut_KeepsThePairTogether()
    {
        var entity = new TableEntity("p", "r");
        var value = new string('x', 32 * 1024 - 1) + "\U0001F511" + new string('y', 10);

        SecretEntityMapper.SetString(entity, "Policy", value);

        var first = (string)entity["Policy"];
        Assert.Equal(32 * 1024 - 1, first.Length);
        Assert.Equal(value, SecretEntityMapper.GetString(entity, "Policy"));
    }

    [Fact]
    public void ListSelect_LeavesOutTheSealedValue()
    {
        var select = SecretEntityMapper.ListSelect;

        Assert.DoesNotContain(select, p => p.StartsWith("Cur", StringComparison.Ordinal));
        Assert.Contains("Versions", select);
        Assert.Contains("Versions2", select);
        Assert.Contains("RowKey", select);
    }

    [Fact]
    public void DueRowKey_ParsesBackToTheEntry()
    {
        var due = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(-7)).AddTicks(3);

        var rowKey = TableSecretStore.DueRowKey(due, "team/app_x");
        var entry = TableSecretStore.ParseDueRow("purge", rowKey);

        Assert.Equal(due.UtcTicks.ToString("D19") + "_team|app_x", rowKey);
        Assert.Equal(new DueEntry("purge", due.ToUniversalTime(), "team/app_x"), entry);
        Assert.True(string.CompareOrdinal(TableSecretStore.DueRowKey(due, "zzz"), TableSecretStore.DueRowKey(due.AddTicks(1), "aaa")) < 0);
    }
}
