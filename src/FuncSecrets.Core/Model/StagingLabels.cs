using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Model;

/// <summary>
/// The staging-label rules, as model methods so no handler re-implements them: a label is on at
/// most one version; once a secret has a version exactly one carries AWSCURRENT; when AWSCURRENT
/// moves, the old current version gets AWSPREVIOUS; versions with no label are deprecated and
/// the oldest go beyond the 100-version limit.
/// </summary>
public static class StagingLabels
{
    public const string Current = "AWSCURRENT";
    public const string Previous = "AWSPREVIOUS";
    public const string Pending = "AWSPENDING";

    /// <summary>AWS's quota of versions per secret.</summary>
    public const int MaxVersions = 100;

    /// <summary>AWS's limit of staging labels attached to one version.</summary>
    public const int MaxLabelsPerVersion = 20;

    /// <summary>Labels as AWS lists them in responses: sorted ordinally.</summary>
    public static List<string> Sorted(IEnumerable<string> stages)
    {
        var list = stages.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    public static string? FindVersion(SecretRecord record, string label)
    {
        foreach (var (id, entry) in record.Versions)
        {
            if (entry.Stages.Contains(label, StringComparer.Ordinal))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>
    /// Attaches <paramref name="label"/> to <paramref name="versionId"/>, taking it from whichever
    /// version held it. Moving AWSCURRENT also moves AWSPREVIOUS to the version that was current.
    /// </summary>
    public static void Attach(SecretRecord record, string versionId, string label)
    {
        var target = record.Versions[versionId];
        var holder = FindVersion(record, label);
        if (holder == versionId)
        {
            return;
        }

        if (holder is not null)
        {
            record.Versions[holder].Stages.Remove(label);
        }

        target.Stages.Add(label);

        if (label == Current && holder is not null)
        {
            // The version that loses AWSCURRENT becomes AWSPREVIOUS; the one that held
            // AWSPREVIOUS loses it (and is deprecated unless it has other labels).
            var previous = FindVersion(record, Previous);
            if (previous is not null)
            {
                record.Versions[previous].Stages.Remove(Previous);
            }

            record.Versions[holder].Stages.Add(Previous);
        }
    }

    /// <summary>
    /// UpdateSecretVersionStage's rules: moves <paramref name="stage"/> to <paramref name="moveTo"/>
    /// and/or removes it from <paramref name="removeFrom"/>. A label held elsewhere must be named
    /// in <paramref name="removeFrom"/>; AWSCURRENT can move but never just come off; a version
    /// holds at most <see cref="MaxLabelsPerVersion"/> labels. Neither version named: no change.
    /// </summary>
    public static void MoveStage(SecretRecord secret, string stage, string? removeFrom, string? moveTo)
    {
        var holder = FindVersion(secret, stage);
        if (removeFrom is not null)
        {
            if (!secret.Versions.ContainsKey(removeFrom))
            {
                throw AwsErrors.ValueNotFoundForVersion(removeFrom);
            }

            if (holder != removeFrom)
            {
                throw AwsErrors.StageNotOnVersion(stage, removeFrom);
            }
        }

        if (moveTo is null)
        {
            if (removeFrom is null)
            {
                // Neither version named: nothing to do, as AWS answers.
                return;
            }

            if (stage == Current)
            {
                throw AwsErrors.CannotRemoveCurrent();
            }

            Detach(secret, removeFrom, stage);
            return;
        }

        if (!secret.Versions.TryGetValue(moveTo, out var target))
        {
            throw AwsErrors.ValueNotFoundForVersion(moveTo);
        }

        if (holder is not null && holder != moveTo && removeFrom is null)
        {
            throw AwsErrors.RemoveFromVersionIdRequired(stage, holder);
        }

        if (holder != moveTo && target.Stages.Count >= MaxLabelsPerVersion)
        {
            throw AwsErrors.TooManyLabels();
        }

        Attach(secret, moveTo, stage);
    }

    /// <summary>
    /// A new value moved AWSCURRENT off <paramref name="previousCurrent"/>: that version keeps
    /// AWSPREVIOUS but no longer AWSPENDING, as AWS leaves it after PutSecretValue (LocalStack's
    /// AWS-validated snapshot test_update_secret_version_stages_current_pending).
    /// </summary>
    public static void RetireFormerCurrent(SecretRecord record, string? previousCurrent)
    {
        if (previousCurrent is not null && previousCurrent != record.CurrentVersionId && record.Versions.TryGetValue(previousCurrent, out var entry))
        {
            entry.Stages.Remove(Pending);
        }
    }

    /// <summary>
    /// A rotation completed with AWSCURRENT on its version: AWSPENDING comes off it, so the
    /// secret reads {new: [AWSCURRENT], old: [AWSPREVIOUS]} (LocalStack's AWS-validated snapshot
    /// test_rotate_secret_with_lambda_success).
    /// </summary>
    public static void CompleteRotation(SecretRecord record, string versionId)
    {
        if (record.CurrentVersionId == versionId)
        {
            Detach(record, versionId, Pending);
        }
    }

    /// <summary>Removes <paramref name="label"/> from <paramref name="versionId"/> if it is there.</summary>
    public static void Detach(SecretRecord record, string versionId, string label) =>
        record.Versions[versionId].Stages.Remove(label);

    /// <summary>
    /// The ids of the versions to delete so that at most <see cref="MaxVersions"/> remain: the
    /// oldest deprecated (label-less) versions first. Versions with labels are never removed.
    /// </summary>
    public static List<string> TrimDeprecated(SecretRecord record)
    {
        var excess = record.Versions.Count - MaxVersions;
        if (excess <= 0)
        {
            return [];
        }

        var removed = record.Versions
            .Where(p => p.Value.Stages.Count == 0)
            .OrderBy(p => p.Value.CreatedDate)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(excess)
            .Select(p => p.Key)
            .ToList();
        foreach (var id in removed)
        {
            record.Versions.Remove(id);
        }

        return removed;
    }
}
