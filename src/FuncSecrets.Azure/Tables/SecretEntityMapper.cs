using System.Text;
using Azure.Data.Tables;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Model;
using P = FuncSecrets.Azure.Tables.SecretTableProperties;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// Maps <see cref="SecretRecord"/> and <see cref="StoredVersion"/> to table rows and back. Values
/// larger than one property allows (64 KiB binary, 32 Ki UTF-16 characters of string) are split
/// over <c>Name</c>, <c>Name2</c>, ... : a 65,536-byte secret sealed with its 16-byte tag and
/// 1-byte prefix is 65,553 bytes, one property's worth plus 17.
/// </summary>
internal static class SecretEntityMapper
{
    public const int SchemaVersion = 1;

    /// <summary>Enough parts for any row the service accepts (1 MiB per entity).</summary>
    public const int MaxParts = 16;

    private const int MaxBinaryPart = 64 * 1024;
    private const int MaxStringPart = 32 * 1024;

    public static string PartitionKeyOf(string name) => TableKeyEscaper.Escape(name);

    public static string VersionRowKey(string versionId) => P.VersionRowPrefix + TableKeyEscaper.Escape(versionId);

    /// <summary>The metadata row's properties a listing reads: everything but the sealed value.</summary>
    public static IReadOnlyList<string> ListSelect { get; } = [.. new[]
        {
            P.PartitionKey, P.RowKey, P.Schema, P.Name, P.ArnSuffix, P.Description, P.KmsKeyId,
            P.RotationEnabled, P.RotationLambdaArn, P.LastRotatedDate, P.NextRotationDate, P.RotationToken,
            P.DeletedDate, P.PurgeDate, P.CreatedDate, P.LastChangedDate, P.LastAccessedDate, P.PrimaryRegion,
        }
        .Concat(AllParts(P.Tags)).Concat(AllParts(P.Replicas)).Concat(AllParts(P.ResourcePolicy)).Concat(AllParts(P.RotationRules)).Concat(AllParts(P.Versions))];

    public static TableEntity ToMetaEntity(SecretRecord record)
    {
        var entity = new TableEntity(PartitionKeyOf(record.Name), P.MetaRowKey);
        entity.Set(P.Schema, SchemaVersion);
        entity.Set(P.Name, record.Name);
        entity.Set(P.ArnSuffix, record.ArnSuffix);
        entity.Set(P.Description, record.Description);
        entity.Set(P.KmsKeyId, record.KmsKeyId);
        SetString(entity, P.Tags, record.Tags is null ? null : SecretJson.WriteTags(record.Tags));
        SetString(entity, P.ResourcePolicy, record.ResourcePolicy);
        entity.Set(P.RotationEnabled, record.RotationEnabled);
        entity.Set(P.RotationLambdaArn, record.RotationLambdaArn);
        SetString(entity, P.RotationRules, record.RotationRules is null ? null : SecretJson.WriteRotationRules(record.RotationRules));
        entity.Set(P.LastRotatedDate, record.LastRotatedDate);
        entity.Set(P.NextRotationDate, record.NextRotationDate);
        entity.Set(P.RotationToken, record.RotationToken);
        entity.Set(P.DeletedDate, record.DeletedDate);
        entity.Set(P.PurgeDate, record.PurgeDate);
        entity.Set(P.CreatedDate, record.CreatedDate);
        entity.Set(P.LastChangedDate, record.LastChangedDate);
        entity.Set(P.LastAccessedDate, record.LastAccessedDate);
        SetString(entity, P.Versions, SecretJson.WriteVersions(record.Versions));
        SetString(entity, P.Replicas, record.Replicas is null ? null : SecretJson.WriteReplicas(record.Replicas));
        entity.Set(P.PrimaryRegion, record.PrimaryRegion);
        if (record.CurrentValue is { } current)
        {
            entity.Set(P.CurrentKeyId, current.KeyId);
            entity.Set(P.CurrentWrappedKey, current.WrappedKey);
            entity.Set(P.CurrentNonce, current.Nonce);
            SetBinary(entity, P.CurrentCiphertext, current.Ciphertext);
        }

        return entity;
    }

    public static SecretRecord FromMetaEntity(TableEntity entity)
    {
        var tags = GetString(entity, P.Tags);
        var rules = GetString(entity, P.RotationRules);
        var versions = GetString(entity, P.Versions);
        var replicas = GetString(entity, P.Replicas);
        var record = new SecretRecord
        {
            Name = entity.GetString(P.Name) ?? TableKeyEscaper.Unescape(entity.PartitionKey),
            ArnSuffix = entity.GetString(P.ArnSuffix) ?? throw Corrupt(P.ArnSuffix),
            Description = entity.GetString(P.Description),
            KmsKeyId = entity.GetString(P.KmsKeyId),
            Tags = tags is null ? null : SecretJson.ReadTags(tags),
            ResourcePolicy = GetString(entity, P.ResourcePolicy),
            RotationEnabled = entity.GetBoolean(P.RotationEnabled),
            RotationLambdaArn = entity.GetString(P.RotationLambdaArn),
            RotationRules = rules is null ? null : SecretJson.ReadRotationRules(rules),
            LastRotatedDate = entity.GetDateTimeOffset(P.LastRotatedDate),
            NextRotationDate = entity.GetDateTimeOffset(P.NextRotationDate),
            RotationToken = entity.GetString(P.RotationToken),
            DeletedDate = entity.GetDateTimeOffset(P.DeletedDate),
            PurgeDate = entity.GetDateTimeOffset(P.PurgeDate),
            CreatedDate = entity.GetDateTimeOffset(P.CreatedDate) ?? throw Corrupt(P.CreatedDate),
            LastChangedDate = entity.GetDateTimeOffset(P.LastChangedDate),
            LastAccessedDate = entity.GetDateTimeOffset(P.LastAccessedDate),
            Versions = versions is null ? new(StringComparer.Ordinal) : SecretJson.ReadVersions(versions),
            Replicas = replicas is null ? null : SecretJson.ReadReplicas(replicas),
            PrimaryRegion = entity.GetString(P.PrimaryRegion),
            ETag = entity.ETagText(),
        };

        var keyId = entity.GetString(P.CurrentKeyId);
        var ciphertext = GetBinary(entity, P.CurrentCiphertext);
        if (keyId is not null && ciphertext is not null)
        {
            record.CurrentValue = new SealedValue(
                keyId,
                entity.GetBinary(P.CurrentWrappedKey) ?? throw Corrupt(P.CurrentWrappedKey),
                entity.GetBinary(P.CurrentNonce) ?? throw Corrupt(P.CurrentNonce),
                ciphertext);
        }

        return record;
    }

    public static TableEntity ToVersionEntity(string name, StoredVersion version)
    {
        var value = version.Value
            ?? throw new ArgumentException("A version row is written with its sealed value.", nameof(version));
        var entity = new TableEntity(PartitionKeyOf(name), VersionRowKey(version.VersionId));
        entity.Set(P.Schema, SchemaVersion);
        entity.Set(P.CreatedDate, version.CreatedDate);
        entity.Set(P.LastAccessedDate, version.LastAccessedDate);
        entity.Set(P.KeyId, value.KeyId);
        entity.Set(P.WrappedKey, value.WrappedKey);
        entity.Set(P.Nonce, value.Nonce);
        SetBinary(entity, P.Ciphertext, value.Ciphertext);
        return entity;
    }

    /// <summary>Reads a version row; <see cref="StoredVersion.Value"/> is null when the query skipped it.</summary>
    public static StoredVersion FromVersionEntity(TableEntity entity)
    {
        var keyId = entity.GetString(P.KeyId);
        var ciphertext = GetBinary(entity, P.Ciphertext);
        return new StoredVersion
        {
            VersionId = TableKeyEscaper.Unescape(entity.RowKey[P.VersionRowPrefix.Length..]),
            CreatedDate = entity.GetDateTimeOffset(P.CreatedDate) ?? throw Corrupt(P.CreatedDate),
            LastAccessedDate = entity.GetDateTimeOffset(P.LastAccessedDate),
            Value = keyId is null || ciphertext is null
                ? null
                : new SealedValue(
                    keyId,
                    entity.GetBinary(P.WrappedKey) ?? throw Corrupt(P.WrappedKey),
                    entity.GetBinary(P.Nonce) ?? throw Corrupt(P.Nonce),
                    ciphertext),
        };
    }

    public static IEnumerable<string> AllParts(string baseName) =>
        Enumerable.Range(1, MaxParts).Select(part => P.SplitProperty(baseName, part));

    internal static void SetBinary(TableEntity entity, string baseName, byte[] value)
    {
        var parts = Math.Max(1, (value.Length + MaxBinaryPart - 1) / MaxBinaryPart);
        CheckParts(baseName, parts);
        for (var part = 0; part < parts; part++)
        {
            var start = part * MaxBinaryPart;
            entity.Set(P.SplitProperty(baseName, part + 1), value[start..Math.Min(value.Length, start + MaxBinaryPart)]);
        }
    }

    internal static byte[]? GetBinary(TableEntity entity, string baseName)
    {
        var first = entity.GetBinary(baseName);
        if (first is null)
        {
            return null;
        }

        // The common case, one part, is returned as read: no copy on the GetSecretValue path.
        if (entity.GetBinary(P.SplitProperty(baseName, 2)) is not { } second)
        {
            return first;
        }

        var buffer = new List<byte>(first);
        buffer.AddRange(second);
        for (var part = 3; entity.GetBinary(P.SplitProperty(baseName, part)) is { } next; part++)
        {
            buffer.AddRange(next);
        }

        return [.. buffer];
    }

    internal static void SetString(TableEntity entity, string baseName, string? value)
    {
        if (value is null)
        {
            return;
        }

        var part = 1;
        var start = 0;
        do
        {
            var length = Math.Min(MaxStringPart, value.Length - start);
            // Never cut between the halves of a surrogate pair.
            if (start + length < value.Length && char.IsHighSurrogate(value[start + length - 1]))
            {
                length--;
            }

            CheckParts(baseName, part);
            entity.Set(P.SplitProperty(baseName, part++), value.Substring(start, length));
            start += length;
        }
        while (start < value.Length);
    }

    internal static string? GetString(TableEntity entity, string baseName)
    {
        var first = entity.GetString(baseName);
        if (first is null)
        {
            return null;
        }

        // The common case, one part, is returned as read: no builder, no copy.
        if (entity.GetString(P.SplitProperty(baseName, 2)) is not { } second)
        {
            return first;
        }

        var builder = new StringBuilder(first).Append(second);
        for (var part = 3; entity.GetString(P.SplitProperty(baseName, part)) is { } next; part++)
        {
            builder.Append(next);
        }

        return builder.ToString();
    }

    private static void CheckParts(string baseName, int parts)
    {
        if (parts > MaxParts)
        {
            throw new ArgumentException($"The value of {baseName} is too large for a table row.");
        }
    }

    private static InvalidDataException Corrupt(string property) =>
        new($"A secret row lacks its {property} property.");
}
