using System.Security.Cryptography;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Model;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.StoreContract;
using Microsoft.Extensions.Logging.Abstractions;

namespace FuncSecrets.IntegrationTests.Tables;

/// <summary>Builders for records, versions and stores used by the Table Storage tests.</summary>
internal static class TableStoreTestData
{
    public static readonly DateTimeOffset Created = new DateTimeOffset(2024, 5, 1, 12, 30, 15, TimeSpan.Zero).AddTicks(1234567);

    public static async Task<TableSecretStore> NewStoreAsync(AzuriteFixture azurite, string prefix, int? pageSize = null)
    {
        var options = new TableStoreOptions
        {
            ConnectionString = azurite.ConnectionString,
            TableName = AzuriteFixture.UniqueTableName(prefix),
            DueTableName = AzuriteFixture.UniqueTableName(prefix + "due"),
            ListPageSize = pageSize,
        };
        return await TableSecretStore.CreateAsync(options, credential: null, NullLogger.Instance, CancellationToken.None);
    }

    /// <summary>Random bytes standing in for a sealed value: this layer never sees plaintext.</summary>
    public static SealedValue Sealed(int ciphertextLength = 48, string keyId = "local:kek-1") =>
        new(keyId, RandomNumberGenerator.GetBytes(40), RandomNumberGenerator.GetBytes(12), RandomNumberGenerator.GetBytes(ciphertextLength));

    public static StoredVersion Version(string id, SealedValue? value = null, DateTimeOffset? created = null) => new()
    {
        VersionId = id,
        CreatedDate = created ?? Created,
        Value = value ?? Sealed(),
    };

    /// <summary>A record whose current version is <paramref name="version"/>, with every optional field set.</summary>
    public static SecretRecord FullRecord(string name, StoredVersion version) => new()
    {
        Name = name,
        ArnSuffix = "AbC123",
        Description = "déjà vu \"quoted\" + 'single'",
        KmsKeyId = "alias/custom",
        Tags = [new Tag("env", "prod"), new Tag("owner", "ops+team@example.com")],
        ResourcePolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}",
        RotationEnabled = true,
        RotationLambdaArn = "arn:aws:lambda:us-east-1:123456789012:function:rotate",
        RotationRules = new RotationRules(30, "3h", null),
        LastRotatedDate = Created.AddDays(1),
        NextRotationDate = Created.AddDays(31),
        RotationToken = "token-1",
        CreatedDate = Created,
        LastChangedDate = Created.AddHours(2),
        LastAccessedDate = new DateTimeOffset(2024, 5, 2, 0, 0, 0, TimeSpan.Zero),
        Versions = { [version.VersionId] = new VersionEntry { CreatedDate = version.CreatedDate, Stages = [StagingLabels.Current] } },
        CurrentValue = version.Value,
    };

    /// <summary>A record with only the required fields and one current version.</summary>
    public static SecretRecord MinimalRecord(string name, StoredVersion version) => new()
    {
        Name = name,
        ArnSuffix = "XyZ789",
        CreatedDate = Created,
        Versions = { [version.VersionId] = new VersionEntry { CreatedDate = version.CreatedDate, Stages = [StagingLabels.Current] } },
        CurrentValue = version.Value,
    };

    public static void AssertSealedEqual(SealedValue? expected, SealedValue? actual) => SecretStoreContract.AssertSealedEqual(expected, actual);
}
