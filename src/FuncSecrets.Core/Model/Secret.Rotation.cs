using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Rotation;

namespace FuncSecrets.Core.Model;

/// <summary>
/// Rotation as a secret sees it: the version a rotation works on carries AWSPENDING, the lease
/// in <c>RotationToken</c> names the run that may change it (<see cref="RotationLease"/>).
/// </summary>
public sealed partial class Secret
{
    /// <summary>
    /// The version a rotation is working on: AWSPENDING on a version that is not AWSCURRENT. AWS
    /// reads this as "a previous rotation is still in progress".
    /// </summary>
    public string? PendingRotationVersion => PendingRotationVersionOf(_record);

    /// <inheritdoc cref="PendingRotationVersion"/>
    public static string? PendingRotationVersionOf(SecretRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return StagingLabels.FindVersion(record, StagingLabels.Pending) is { } pending && pending != record.CurrentVersionId ? pending : null;
    }

    /// <summary>The function RotateSecret stored; null when none is configured.</summary>
    public string? RotationLambdaArn => _record.RotationLambdaArn;

    /// <summary>
    /// RotateSecret (and the job's scheduled start): takes the rotation lease and announces the
    /// new version, a version with no value yet labelled AWSPENDING whose id is the token (as AWS
    /// does, so a rotation function's <c>describe_secret</c> check finds it). With
    /// <paramref name="settings"/> also stores the rotation settings. Null when nothing is to
    /// run: a retry of a finished call, or of one whose run still holds the lease.
    /// </summary>
    internal RotationStart? BeginRotation(string? requestedToken, RotationSettings? settings, string owner, TimeSpan leaseDuration, DateTimeOffset now)
    {
        EnsureNotDeleted();
        var previous = new RotationSnapshot(_record.RotationEnabled, _record.RotationLambdaArn, _record.RotationRules, _record.NextRotationDate, _record.RotationToken, _record.LastChangedDate);
        var lease = RotationLease.Read(_record.RotationToken);
        var pending = PendingRotationVersion;
        var token = requestedToken ?? pending ?? Guid.NewGuid().ToString();
        var created = false;
        string? detachedFrom = null;
        if (pending is not null)
        {
            if (pending != token || (lease is { } other && other.IsActive(now) && other.Token != token))
            {
                throw AwsErrors.RotationInProgress();
            }

            if (lease is { } running && running.IsActive(now))
            {
                return null;
            }
        }
        else
        {
            if (lease is { } finishing && finishing.IsActive(now))
            {
                // The last rotation moved AWSCURRENT but has not recorded its end yet.
                return finishing.Token != token ? throw AwsErrors.RotationInProgress() : null;
            }

            if (HasVersion(token))
            {
                // A retried call whose rotation already finished changes nothing.
                return token != CurrentVersionId ? throw AwsErrors.RotationTokenInUse(token) : null;
            }

            detachedFrom = Holder(StagingLabels.Pending);
            if (detachedFrom is not null)
            {
                Detach(detachedFrom, StagingLabels.Pending);
            }

            _record.Versions[token] = new VersionEntry { CreatedDate = now, Stages = [StagingLabels.Pending] };
            created = true;
            TrimDeprecated();
        }

        var function = _record.RotationLambdaArn ?? string.Empty;
        DateTimeOffset? windowStart = null;
        if (settings is not null)
        {
            function = settings.Function;
            _record.RotationEnabled = true;
            _record.RotationLambdaArn = settings.Function;
            if (settings.Rules is not null)
            {
                _record.RotationRules = settings.Rules;
            }

            var schedule = RotationSchedule.FromStored(_record.RotationRules);
            var window = schedule?.NextWindow(settings.RotateImmediately ? now : LastRotation(now), now);
            _record.NextRotationDate = window?.NextRotationDate;
            windowStart = window?.Start;
            _record.LastChangedDate = now;
        }

        var taken = new RotationLease(token, now + leaseDuration, owner);
        _record.RotationToken = taken.Format();
        _changed = true;
        return new RotationStart(token, function, previous, created, detachedFrom, windowStart, taken.ExpiresAt);
    }

    /// <summary>Extends <paramref name="run"/>'s lease. False (and no change) when the rotation was cancelled, taken over or the secret deleted.</summary>
    internal bool RenewRotation(RotationRun run, DateTimeOffset until)
    {
        if (!IsHeldBy(run) || _record.RotationEnabled != true || IsDeleted)
        {
            return false;
        }

        _record.RotationToken = new RotationLease(run.Token, until, run.Owner).Format();
        _changed = true;
        return true;
    }

    /// <summary>
    /// The rotation function's createSecret: the value for the AWSPENDING version RotateSecret
    /// announced. Refused when that version no longer carries AWSPENDING (the rotation was cancelled).
    /// </summary>
    internal void FillPendingVersion(NewVersion version, DateTimeOffset now)
    {
        if (!_record.Versions.TryGetValue(version.VersionId, out var entry) || !entry.Stages.Contains(StagingLabels.Pending))
        {
            throw AwsErrors.InvalidRequest("The rotation was cancelled: the version is no longer AWSPENDING.");
        }

        AddVersion(version, [StagingLabels.Pending], now);
    }

    /// <summary>
    /// The rotation function's finishSecret: AWSCURRENT moves to <paramref name="versionId"/>
    /// (the former current version becomes AWSPREVIOUS) and AWSPENDING comes off it.
    /// </summary>
    internal void FinishRotation(string versionId, DateTimeOffset now)
    {
        EnsureNotDeleted();
        if (!_record.Versions.TryGetValue(versionId, out var entry))
        {
            throw AwsErrors.ValueNotFoundForVersion(versionId);
        }

        if (CurrentVersionId == versionId && !entry.Stages.Contains(StagingLabels.Pending))
        {
            return;
        }

        Attach(versionId, StagingLabels.Current);
        Detach(versionId, StagingLabels.Pending);
        TrimDeprecated();
        _record.LastChangedDate = now;
        _changed = true;
    }

    /// <summary>
    /// Records a finished rotation: AWSPENDING off the new AWSCURRENT version (so the secret reads
    /// {new: [AWSCURRENT], old: [AWSPREVIOUS]}, LocalStack's AWS-validated snapshot
    /// test_rotate_secret_with_lambda_success), <c>LastRotatedDate</c>, the next window, the lease
    /// released. False when AWSCURRENT is not on the run's version (finishSecret did not move it).
    /// </summary>
    internal bool CompleteRotation(RotationRun run, DateTimeOffset now, out DateTimeOffset? nextWindowStart)
    {
        nextWindowStart = null;
        var finished = CurrentVersionId == run.Token;
        if (!finished || !IsHeldBy(run))
        {
            return finished;
        }

        Detach(run.Token, StagingLabels.Pending);
        _record.LastRotatedDate = now;
        var window = _record.RotationEnabled == true ? RotationSchedule.FromStored(_record.RotationRules)?.NextWindow(now, now) : null;
        nextWindowStart = window?.Start;
        _record.NextRotationDate = window?.NextRotationDate ?? _record.NextRotationDate;
        _record.RotationToken = null;
        _changed = true;
        return true;
    }

    /// <summary>A step failed: <paramref name="run"/> releases its lease; the labels stay, so the next attempt resumes.</summary>
    internal void ReleaseRotation(RotationRun run)
    {
        if (IsHeldBy(run))
        {
            _record.RotationToken = null;
            _changed = true;
        }
    }

    /// <summary>
    /// Undoes <see cref="BeginRotation"/> when the function could not be invoked at all: AWS then
    /// answers AccessDenied and stores no rotation settings. <paramref name="placeholderStored"/>:
    /// whether the announced version has a stored row.
    /// </summary>
    internal void RollBackRotation(RotationRun run, bool placeholderStored)
    {
        if (!IsHeldBy(run))
        {
            return;
        }

        var before = run.Previous;
        _record.RotationEnabled = before.RotationEnabled;
        _record.RotationLambdaArn = before.RotationLambdaArn;
        _record.RotationRules = before.RotationRules;
        _record.NextRotationDate = before.NextRotationDate;
        _record.LastChangedDate = before.LastChangedDate;
        RemovePlaceholder(run, placeholderStored);
        _record.RotationToken = before.RotationToken;
        _changed = true;
    }

    /// <summary>
    /// Ends the configuration test RotateImmediately=false runs: AWS "creates an AWSPENDING
    /// version of the secret and then removes it".
    /// </summary>
    internal void EndRotationTest(RotationRun run, bool placeholderStored)
    {
        if (!IsHeldBy(run))
        {
            return;
        }

        RemovePlaceholder(run, placeholderStored);
        _record.RotationToken = null;
        _changed = true;
    }

    /// <summary>
    /// CancelRotateSecret: automatic rotation off and the lease released; the labels stay as they
    /// are (AWS documents it). Returns the version the rotation was creating, if any.
    /// </summary>
    public string? CancelRotation(DateTimeOffset now)
    {
        EnsureNotDeleted();
        if (string.IsNullOrEmpty(_record.RotationLambdaArn))
        {
            throw AwsErrors.RotationNotConfigured();
        }

        var pending = PendingRotationVersion;
        _record.RotationEnabled = false;
        _record.RotationToken = null;
        _record.LastChangedDate = now;
        _changed = true;
        return pending;
    }

    /// <summary>
    /// What a days schedule counts from: the last rotation, or a later manual value change (AWS:
    /// "Manually updating the secret value ... is considered a valid rotation").
    /// </summary>
    public DateTimeOffset LastRotation(DateTimeOffset fallback) => LastRotation(_record, fallback);

    /// <inheritdoc cref="LastRotation(DateTimeOffset)"/>
    public static DateTimeOffset LastRotation(SecretRecord record, DateTimeOffset fallback)
    {
        ArgumentNullException.ThrowIfNull(record);
        var changed = record.CurrentVersionId is { } current ? record.Versions[current].CreatedDate : (DateTimeOffset?)null;
        return (record.LastRotatedDate, changed) switch
        {
            ({ } r, { } c) => r > c ? r : c,
            ({ } r, null) => r,
            (null, { } c) => c,
            _ => fallback,
        };
    }

    /// <summary>
    /// Takes back the version <paramref name="run"/> announced: without AWSPENDING, and gone
    /// altogether when nothing filled it; AWSPENDING goes back to the version it was taken from.
    /// </summary>
    private void RemovePlaceholder(RotationRun run, bool placeholderStored)
    {
        if (!run.CreatedPlaceholder || !_record.Versions.TryGetValue(run.Token, out var entry))
        {
            return;
        }

        entry.Stages.Remove(StagingLabels.Pending);
        if (entry.Stages.Count == 0 && !placeholderStored)
        {
            _record.Versions.Remove(run.Token);
        }

        if (run.DetachedPendingFrom is { } holder && HasVersion(holder) && Holder(StagingLabels.Pending) is null)
        {
            Attach(holder, StagingLabels.Pending);
        }
    }

    private bool IsHeldBy(RotationRun run) =>
        RotationLease.Read(_record.RotationToken) is { } lease && lease.Owner == run.Owner && lease.Token == run.Token;
}

/// <summary>What <see cref="Secret.BeginRotation"/> started.</summary>
/// <param name="Token">The version id the rotation works on.</param>
/// <param name="Function">The rotation function to call.</param>
/// <param name="Previous">The rotation settings before, for a rollback.</param>
/// <param name="CreatedPlaceholder">Whether the AWSPENDING version was announced by this start.</param>
/// <param name="DetachedPendingFrom">The version AWSPENDING was taken from, if any.</param>
/// <param name="NextWindowStart">When the stored schedule's next window opens (settings given).</param>
/// <param name="LeaseExpiresAt">When the lease runs out, so the job resumes a run whose instance died.</param>
internal sealed record RotationStart(
    string Token,
    string Function,
    RotationSnapshot Previous,
    bool CreatedPlaceholder,
    string? DetachedPendingFrom,
    DateTimeOffset? NextWindowStart,
    DateTimeOffset LeaseExpiresAt);
