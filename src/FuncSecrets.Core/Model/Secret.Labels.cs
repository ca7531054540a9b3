using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Model;

/// <summary>The staging-label rules: only the operations of <see cref="Secret"/> call them.</summary>
public sealed partial class Secret
{
    private string? Holder(string label) => StagingLabels.FindVersion(_record, label);

    /// <summary>
    /// Attaches <paramref name="label"/> to <paramref name="versionId"/>, taking it from whichever
    /// version held it. Moving AWSCURRENT also moves AWSPREVIOUS to the version that was current.
    /// </summary>
    private void Attach(string versionId, string label)
    {
        var target = _record.Versions[versionId];
        var holder = Holder(label);
        if (holder == versionId)
        {
            return;
        }

        if (holder is not null)
        {
            _record.Versions[holder].Stages.Remove(label);
        }

        target.Stages.Add(label);

        if (label == StagingLabels.Current && holder is not null)
        {
            // The version that loses AWSCURRENT becomes AWSPREVIOUS; the one that held
            // AWSPREVIOUS loses it (and is deprecated unless it has other labels).
            var previous = Holder(StagingLabels.Previous);
            if (previous is not null)
            {
                _record.Versions[previous].Stages.Remove(StagingLabels.Previous);
            }

            _record.Versions[holder].Stages.Add(StagingLabels.Previous);
        }
    }

    /// <summary>Removes <paramref name="label"/> from <paramref name="versionId"/> if it is there.</summary>
    private void Detach(string versionId, string label) => _record.Versions[versionId].Stages.Remove(label);

    /// <summary>
    /// UpdateSecretVersionStage's rules: a label held elsewhere must be named in
    /// <paramref name="removeFrom"/>; AWSCURRENT can move but never just come off; a version
    /// holds at most <see cref="StagingLabels.MaxLabelsPerVersion"/> labels. Neither version
    /// named: no change, as AWS answers.
    /// </summary>
    private void MoveStage(string stage, string? removeFrom, string? moveTo)
    {
        var holder = Holder(stage);
        if (removeFrom is not null)
        {
            if (!_record.Versions.ContainsKey(removeFrom))
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
                return;
            }

            if (stage == StagingLabels.Current)
            {
                throw AwsErrors.CannotRemoveCurrent();
            }

            Detach(removeFrom, stage);
            return;
        }

        if (!_record.Versions.TryGetValue(moveTo, out var target))
        {
            throw AwsErrors.ValueNotFoundForVersion(moveTo);
        }

        if (holder is not null && holder != moveTo && removeFrom is null)
        {
            throw AwsErrors.RemoveFromVersionIdRequired(stage, holder);
        }

        if (holder != moveTo && target.Stages.Count >= StagingLabels.MaxLabelsPerVersion)
        {
            throw AwsErrors.TooManyLabels();
        }

        Attach(moveTo, stage);
    }

    /// <summary>
    /// A new value moved AWSCURRENT off <paramref name="previousCurrent"/>: that version keeps
    /// AWSPREVIOUS but no longer AWSPENDING, as AWS leaves it after PutSecretValue.
    /// </summary>
    private void RetireFormerCurrent(string? previousCurrent)
    {
        if (previousCurrent is not null && previousCurrent != CurrentVersionId && _record.Versions.TryGetValue(previousCurrent, out var entry))
        {
            entry.Stages.Remove(StagingLabels.Pending);
        }
    }

    /// <summary>
    /// Deletes the oldest deprecated (label-less) versions so that at most
    /// <see cref="StagingLabels.MaxVersions"/> remain; versions with labels are never removed.
    /// Returns the ids removed by this call.
    /// </summary>
    private List<string> TrimDeprecated()
    {
        var excess = _record.Versions.Count - StagingLabels.MaxVersions;
        if (excess <= 0)
        {
            return [];
        }

        var removed = _record.Versions
            .Where(p => p.Value.Stages.Count == 0)
            .OrderBy(p => p.Value.CreatedDate)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .Take(excess)
            .Select(p => p.Key)
            .ToList();
        foreach (var id in removed)
        {
            _record.Versions.Remove(id);
        }

        _removed.AddRange(removed);
        return removed;
    }
}
