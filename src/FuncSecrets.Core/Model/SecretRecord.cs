using FuncSecrets.Core.Crypto;

namespace FuncSecrets.Core.Model;

/// <summary>
/// The metadata of one secret, as held in its partition's metadata row: the stored shape the
/// store seams speak. Only <see cref="Secret"/> (the aggregate, on a <see cref="Clone"/>)
/// changes one; <see cref="Services.SecretChangeWriter"/> writes it back conditional on <see cref="ETag"/>.
/// </summary>
public sealed class SecretRecord
{
    public required string Name { get; init; }

    /// <summary>The 6 random characters AWS appends to the name in the ARN.</summary>
    public required string ArnSuffix { get; init; }

    public string? Description { get; set; }

    /// <summary>The KmsKeyId the caller gave; null for the default key.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>Null until the secret is first tagged; empty after its last tag is removed.</summary>
    public List<Tag>? Tags { get; set; }

    public string? ResourcePolicy { get; set; }

    public bool? RotationEnabled { get; set; }

    public string? RotationLambdaArn { get; set; }

    public RotationRules? RotationRules { get; set; }

    public DateTimeOffset? LastRotatedDate { get; set; }

    public DateTimeOffset? NextRotationDate { get; set; }

    /// <summary>The token of the rotation in progress, if any (the version holding AWSPENDING).</summary>
    public string? RotationToken { get; set; }

    /// <summary>When DeleteSecret scheduled the deletion; null while the secret is live.</summary>
    public DateTimeOffset? DeletedDate { get; set; }

    /// <summary>When the recovery window ends and the purge job may remove the secret.</summary>
    public DateTimeOffset? PurgeDate { get; set; }

    public required DateTimeOffset CreatedDate { get; init; }

    public DateTimeOffset? LastChangedDate { get; set; }

    /// <summary>Day precision (midnight UTC), as AWS reports it.</summary>
    public DateTimeOffset? LastAccessedDate { get; set; }

    /// <summary>Every stored version: id → created date and staging labels.</summary>
    public Dictionary<string, VersionEntry> Versions { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A copy of the sealed value of the version that holds AWSCURRENT, so that the common read
    /// costs one storage round trip. <see cref="Secret.Change"/> names the version to copy it
    /// from whenever AWSCURRENT moves; the writer copies it.
    /// </summary>
    public SealedValue? CurrentValue { get; set; }

    /// <summary>
    /// On a primary secret: its replicas in other Regions and their replication status (issue 14);
    /// null when the secret was never replicated.
    /// </summary>
    public List<Replication.ReplicaState>? Replicas { get; set; }

    /// <summary>On a replica: the Region of its primary secret (issue 14); null on any other secret.</summary>
    public string? PrimaryRegion { get; set; }

    /// <summary>The storage ETag this record was read with; null for a record not yet stored.</summary>
    public string? ETag { get; set; }

    /// <summary>
    /// What the store that returned this record remembers of the row it read (the Table store:
    /// the listed fields at <see cref="ETag"/>, for its listing index), so writing a changed copy
    /// back need not read the old row again. Opaque outside that store; <see cref="Clone"/>
    /// carries it along, and a store trusts it only while it belongs to the same <see cref="ETag"/>.
    /// </summary>
    public object? StoreState { get; set; }

    public string Arn(ServiceOptions options) => SecretArn.Format(options, Name, ArnSuffix);

    public bool IsDeleted => DeletedDate is not null;

    /// <summary>The id of the version that carries AWSCURRENT, if any.</summary>
    public string? CurrentVersionId => StagingLabels.FindVersion(this, StagingLabels.Current);

    public SecretRecord Clone() => new()
    {
        Name = Name,
        ArnSuffix = ArnSuffix,
        Description = Description,
        KmsKeyId = KmsKeyId,
        Tags = Tags?.ToList(),
        ResourcePolicy = ResourcePolicy,
        RotationEnabled = RotationEnabled,
        RotationLambdaArn = RotationLambdaArn,
        RotationRules = RotationRules,
        LastRotatedDate = LastRotatedDate,
        NextRotationDate = NextRotationDate,
        RotationToken = RotationToken,
        DeletedDate = DeletedDate,
        PurgeDate = PurgeDate,
        CreatedDate = CreatedDate,
        LastChangedDate = LastChangedDate,
        LastAccessedDate = LastAccessedDate,
        Versions = Versions.ToDictionary(p => p.Key, p => p.Value.Clone(), StringComparer.Ordinal),
        CurrentValue = CurrentValue,
        Replicas = Replicas?.ToList(),
        PrimaryRegion = PrimaryRegion,
        ETag = ETag,
        StoreState = StoreState,
    };
}

/// <summary>What the metadata row knows of one version.</summary>
public sealed class VersionEntry
{
    public required DateTimeOffset CreatedDate { get; init; }

    /// <summary>The staging labels on this version, in the order they were attached.</summary>
    public List<string> Stages { get; init; } = [];

    public VersionEntry Clone() => new() { CreatedDate = CreatedDate, Stages = [.. Stages] };
}

/// <summary>A tag on a secret.</summary>
public sealed record Tag(string Key, string Value);

/// <summary>A secret's rotation schedule, as RotateSecret takes it.</summary>
public sealed record RotationRules(long? AutomaticallyAfterDays, string? Duration, string? ScheduleExpression);
