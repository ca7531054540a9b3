using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Model;

/// <summary>
/// One secret, with the operations AWS defines on it as methods: add a version, move or remove
/// a label, rotate, schedule deletion and restore, tag, set a policy, change the description and
/// key. Each method checks AWS's rules itself and refuses with AWS's error, so no handler
/// re-implements them:
/// <list type="bullet">
/// <item>once a secret has a version, exactly one carries AWSCURRENT; when AWSCURRENT moves, the
/// former current version gets AWSPREVIOUS (and sheds AWSPENDING) and the version that held
/// AWSPREVIOUS loses it;</item>
/// <item>a label is on at most one version, a version carries at most 20;</item>
/// <item>beyond 100 versions the oldest deprecated (label-less) ones go;</item>
/// <item>a repeated ClientRequestToken is a retry when the value is the same, and refused otherwise;</item>
/// <item>a secret scheduled for deletion refuses every change but RestoreSecret.</item>
/// </list>
/// A <see cref="Secret"/> is a working copy of one stored <see cref="SecretRecord"/>. It does no
/// I/O: what needs storage or crypto (sealing a value, comparing a repeated token's value,
/// re-wrapping under a new key) is done first and handed in. <see cref="Change"/> returns what to
/// persist, which <see cref="Services.SecretChangeWriter"/> writes under the ETag.
/// </summary>
public sealed partial class Secret
{
    private readonly SecretRecord _record;
    private readonly ServiceOptions _options;
    private readonly bool _isNew;
    private readonly string? _currentAtLoad;
    private readonly List<StoredVersion> _added = [];
    private readonly List<string> _removed = [];
    private bool _changed;
    private bool _copyCurrent;

    /// <summary>A working copy of <paramref name="stored"/>; the stored record is not changed.</summary>
    public Secret(SecretRecord stored, ServiceOptions options)
        : this(stored.Clone(), options, isNew: false)
    {
    }

    private Secret(SecretRecord record, ServiceOptions options, bool isNew)
    {
        _record = record;
        _options = options;
        _isNew = isNew;
        _currentAtLoad = record.CurrentVersionId;
        _changed = isNew;
    }

    /// <summary>CreateSecret: a new secret with no version yet (see <see cref="AddVersion"/> for its first).</summary>
    public static Secret Create(string name, string? description, string? kmsKeyId, IReadOnlyList<Tag>? tags, DateTimeOffset now, ServiceOptions options)
    {
        var record = new SecretRecord
        {
            Name = name,
            ArnSuffix = SecretArn.NewSuffix(),
            Description = string.IsNullOrEmpty(description) ? null : description,
            KmsKeyId = string.IsNullOrEmpty(kmsKeyId) ? null : kmsKeyId,
            Tags = tags is { Count: > 0 } ? [.. tags] : null,
            CreatedDate = now,
            LastChangedDate = now,
        };
        return new Secret(record, options, isNew: true);
    }

    public string Name => _record.Name;

    public string ArnSuffix => _record.ArnSuffix;

    public string Arn => _record.Arn(_options);

    /// <summary>The KmsKeyId the caller gave; null for the default key.</summary>
    public string? KmsKeyId => _record.KmsKeyId;

    public bool IsDeleted => _record.IsDeleted;

    /// <summary>The id of the version that carries AWSCURRENT, if any.</summary>
    public string? CurrentVersionId => _record.CurrentVersionId;

    /// <summary>The sealed value of the AWSCURRENT version as the metadata row holds it.</summary>
    public SealedValue? CurrentValue => _record.CurrentValue;

    public bool HasVersion(string versionId) => _record.Versions.ContainsKey(versionId);

    /// <summary>The labels on <paramref name="versionId"/>, sorted as AWS lists them; empty when there is no such version.</summary>
    public List<string> StagesOf(string versionId) =>
        _record.Versions.TryGetValue(versionId, out var entry) ? StagingLabels.Sorted(entry.Stages) : [];

    /// <summary>Refuses with AWS's "marked for deletion" error when the secret is scheduled for deletion.</summary>
    public void EnsureNotDeleted()
    {
        if (IsDeleted)
        {
            throw AwsErrors.MarkedForDeletion();
        }
    }

    /// <summary>
    /// What to persist: the changed metadata, the version rows to add and remove, and which
    /// version's sealed value to copy into the metadata row as the AWSCURRENT copy. Null when
    /// nothing changed.
    /// </summary>
    public SecretChange? Change()
    {
        if (!_changed)
        {
            return null;
        }

        var current = CurrentVersionId;
        if (current is null)
        {
            _record.CurrentValue = null;
        }

        var copyFrom = current is not null && (_copyCurrent || current != _currentAtLoad || _record.CurrentValue is null) ? current : null;
        return new SecretChange(_record, _isNew, [.. _added], [.. _removed], copyFrom);
    }

    /// <summary>
    /// PutSecretValue (and the rotation's createSecret): adds <paramref name="version"/> with
    /// <paramref name="stages"/>. The first version always gets AWSCURRENT; moving AWSCURRENT
    /// makes the former current version AWSPREVIOUS without AWSPENDING (LocalStack's
    /// AWS-validated snapshot test_update_secret_version_stages_current_pending). A token that
    /// names a version with the same value is a retry and changes nothing; with another value
    /// it is refused (ResourceExistsException, moto's @aws_verified tests).
    /// </summary>
    public void AddVersion(NewVersion version, IReadOnlyList<string> stages, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(stages);
        EnsureNotDeleted();
        AddVersionUnchecked(version, stages, now);
    }

    /// <summary>
    /// CreateSecret called for a name that is taken: a retry of the same call (same token, same
    /// value) answers the version id again; the same token with another value names a version
    /// in use (moto's @aws_verified test_create_different_secret_with_same_token); anything
    /// else finds the name taken, or scheduled for deletion.
    /// </summary>
    public string AnswerRepeatedCreate(string? token, TokenMatch match)
    {
        if (IsDeleted)
        {
            throw AwsErrors.NameScheduledForDeletion();
        }

        return (token, match) switch
        {
            ({ } same, TokenMatch.SameValue) => same,
            ({ } other, TokenMatch.OtherValue) => throw AwsErrors.TokenInUse(other, Arn),
            _ => throw AwsErrors.SecretExists(Name),
        };
    }

    /// <summary>UpdateSecretVersionStage: moves <paramref name="stage"/> to <paramref name="moveTo"/> and/or removes it from <paramref name="removeFrom"/>.</summary>
    public void MoveLabel(string stage, string? removeFrom, string? moveTo, DateTimeOffset now)
    {
        EnsureNotDeleted();
        MoveStage(stage, removeFrom, moveTo);
        TrimDeprecated();
        _record.LastChangedDate = now;
        _changed = true;
    }

    /// <summary>The key a value sealed by UpdateSecret with <paramref name="requested"/> goes under ("" is the default key).</summary>
    public string? KmsKeyIdAfterUpdate(string? requested) =>
        requested is null ? _record.KmsKeyId : requested.Length == 0 ? null : requested;

    /// <summary>
    /// The versions whose data keys UpdateSecret re-wraps for <paramref name="requested"/>: the
    /// labelled ones, as AWS re-encrypts them; none when the key does not change.
    /// </summary>
    public IReadOnlyList<string> VersionsToRewrap(string? requested) =>
        requested is null || KmsKeyIdAfterUpdate(requested) == _record.KmsKeyId
            ? []
            : [.. _record.Versions.Where(p => p.Value.Stages.Count > 0).Select(p => p.Key)];

    /// <summary>
    /// UpdateSecret: a new description ("" removes it), a new key with <paramref name="rewrapped"/>
    /// (the labelled versions under it), and with <paramref name="version"/> a new AWSCURRENT
    /// version. A retry of an update that already stored its version writes only the re-wrapped
    /// versions, or nothing.
    /// </summary>
    public void Update(string? description, string? kmsKeyId, IReadOnlyList<StoredVersion> rewrapped, NewVersion? version, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(rewrapped);
        EnsureNotDeleted();
        if (version is { Match: TokenMatch.SameValue } && rewrapped.Count == 0)
        {
            return;
        }

        if (kmsKeyId is not null && KmsKeyIdAfterUpdate(kmsKeyId) != _record.KmsKeyId)
        {
            _record.KmsKeyId = KmsKeyIdAfterUpdate(kmsKeyId);
            _added.AddRange(rewrapped);
            _copyCurrent |= rewrapped.Any(v => v.VersionId == CurrentVersionId);
        }

        if (description is not null)
        {
            _record.Description = description.Length == 0 ? null : description;
        }

        _record.LastChangedDate = now;
        _changed = true;
        if (version is not null)
        {
            AddVersionUnchecked(version, [StagingLabels.Current], now);
        }
    }

    /// <summary>DeleteSecret with a recovery window: the secret refuses changes until <see cref="Restore"/> or the purge.</summary>
    public void ScheduleDeletion(DateTimeOffset purgeDate, DateTimeOffset now)
    {
        EnsureNotDeleted();
        _record.DeletedDate = now;
        _record.PurgeDate = purgeDate;
        _changed = true;
    }

    /// <summary>RestoreSecret: cancels a scheduled deletion; a live secret is left as it is.</summary>
    public void Restore()
    {
        if (!IsDeleted)
        {
            return;
        }

        _record.DeletedDate = null;
        _record.PurgeDate = null;
        _changed = true;
    }

    /// <summary>TagResource: adds tags, replacing the value of a key already there; at most 50.</summary>
    public void Tag(IReadOnlyList<Tag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        EnsureNotDeleted();
        var merged = _record.Tags ?? [];
        foreach (var tag in tags)
        {
            var index = merged.FindIndex(t => t.Key == tag.Key);
            if (index >= 0)
            {
                merged[index] = tag;
            }
            else
            {
                merged.Add(tag);
            }
        }

        if (merged.Count > Limits.MaxTags)
        {
            throw AwsErrors.InvalidParameter("Number of tags exceeds Secrets Manager tag limit.");
        }

        _record.Tags = merged;
        _changed = true;
    }

    /// <summary>UntagResource: removes tags by key; after the last one <c>Tags</c> is empty, not absent.</summary>
    public void Untag(IReadOnlyList<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        EnsureNotDeleted();
        _record.Tags = [.. (_record.Tags ?? []).Where(t => !keys.Contains(t.Key, StringComparer.Ordinal))];
        _changed = true;
    }

    /// <summary>PutResourcePolicy (the document already validated).</summary>
    public void SetPolicy(string policy)
    {
        EnsureNotDeleted();
        _record.ResourcePolicy = policy;
        _changed = true;
    }

    /// <summary>DeleteResourcePolicy: a secret without a policy is left as it is.</summary>
    public void DeletePolicy()
    {
        EnsureNotDeleted();
        if (_record.ResourcePolicy is null)
        {
            return;
        }

        _record.ResourcePolicy = null;
        _changed = true;
    }

    private void AddVersionUnchecked(NewVersion version, IReadOnlyList<string> stages, DateTimeOffset now)
    {
        switch (version.Match)
        {
            case TokenMatch.SameValue:
                return;
            case TokenMatch.OtherValue:
                throw AwsErrors.TokenInUse(version.VersionId, Arn);
        }

        var stored = version.Sealed ?? throw new InvalidOperationException("A new version needs its sealed value.");
        var previousCurrent = CurrentVersionId;
        _record.Versions[version.VersionId] = new VersionEntry { CreatedDate = stored.CreatedDate, Stages = [] };
        foreach (var stage in stages.Distinct(StringComparer.Ordinal))
        {
            Attach(version.VersionId, stage);
        }

        if (CurrentVersionId is null)
        {
            // The first version of a secret always gets AWSCURRENT.
            Attach(version.VersionId, StagingLabels.Current);
        }

        RetireFormerCurrent(previousCurrent);
        if (TrimDeprecated().Contains(version.VersionId, StringComparer.Ordinal))
        {
            throw AwsErrors.VersionLimitExceeded();
        }

        _record.LastChangedDate = now;
        _added.Add(stored);
        _changed = true;
    }
}
