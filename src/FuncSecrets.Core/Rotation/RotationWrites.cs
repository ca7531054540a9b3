using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Rotation;

/// <summary>
/// Every change rotation makes to a secret's metadata, each one ETag-conditional write through
/// <see cref="SecretWriter"/>. No rotation function is ever called from inside one of these
/// writes: the function calls back into the API and would queue behind the secret's lock.
/// Due-index entries are written before the change they announce, as the purge index is.
/// </summary>
internal sealed class RotationWrites(OperationDependencies deps, RotationOptions options)
{
    /// <summary>The due-time index the rotation job reads.</summary>
    public const string Index = "rotate";

    private readonly SecretWriter _writer = new(deps);

    /// <summary>
    /// The version a rotation is working on: AWSPENDING on a version that is not AWSCURRENT. AWS
    /// reads this as "a previous rotation is still in progress".
    /// </summary>
    public static string? PendingVersion(SecretRecord record)
    {
        var pending = StagingLabels.FindVersion(record, StagingLabels.Pending);
        return pending is not null && pending != record.CurrentVersionId ? pending : null;
    }

    /// <summary>
    /// Takes the rotation lease and announces the new version: a version with no value yet,
    /// labelled AWSPENDING, whose id is the token (as AWS does, so a rotation function's
    /// <c>describe_secret</c> check finds it). With <see cref="BeginRequest.Settings"/> also stores
    /// the rotation settings. Null when nothing is to run (a retry of a finished or running call).
    /// </summary>
    public async Task<RotationRun?> BeginAsync(BeginRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var owner = RotationLease.NewOwner();
        RotationRun? run = null;
        var indexed = new HashSet<DateTimeOffset>();
        await _writer.UpdateAsync(request.Reference, "RotateSecret", context, async (secret, ct) =>
        {
            run = null;
            if (secret.IsDeleted)
            {
                throw AwsErrors.MarkedForDeletion();
            }

            var now = deps.Now();
            var previous = new RotationSnapshot(secret.RotationEnabled, secret.RotationLambdaArn, secret.RotationRules, secret.NextRotationDate, secret.RotationToken, secret.LastChangedDate);
            var lease = RotationLease.Read(secret.RotationToken);
            var pending = PendingVersion(secret);
            var token = request.Token ?? pending ?? Guid.NewGuid().ToString();
            var created = false;
            string? detachedFrom = null;
            var removed = new List<string>();
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
                    if (finishing.Token != token)
                    {
                        throw AwsErrors.RotationInProgress();
                    }

                    return null;
                }

                if (secret.Versions.ContainsKey(token))
                {
                    // A retried call whose rotation already finished changes nothing.
                    if (token != secret.CurrentVersionId)
                    {
                        throw AwsErrors.RotationTokenInUse(token);
                    }

                    return null;
                }

                detachedFrom = StagingLabels.FindVersion(secret, StagingLabels.Pending);
                if (detachedFrom is not null)
                {
                    StagingLabels.Detach(secret, detachedFrom, StagingLabels.Pending);
                }

                secret.Versions[token] = new VersionEntry { CreatedDate = now, Stages = [StagingLabels.Pending] };
                created = true;
                removed = StagingLabels.TrimDeprecated(secret);
            }

            var function = secret.RotationLambdaArn ?? string.Empty;
            if (request.Settings is { } settings)
            {
                function = settings.Function;
                secret.RotationEnabled = true;
                secret.RotationLambdaArn = settings.Function;
                if (settings.Rules is not null)
                {
                    secret.RotationRules = settings.Rules;
                }

                var schedule = RotationSchedule.FromStored(secret.RotationRules);
                var window = schedule?.NextWindow(settings.RotateImmediately ? now : LastRotation(secret, now), now);
                secret.NextRotationDate = window?.NextRotationDate;
                if (window is { } next && indexed.Add(next.Start))
                {
                    await deps.DueIndex.AddDueAsync(Index, next.Start, secret.Name, ct);
                }

                secret.LastChangedDate = now;
            }

            var taken = new RotationLease(token, now + options.LeaseDuration, owner);
            if (indexed.Add(taken.ExpiresAt))
            {
                // Should this instance die mid-rotation, the job resumes it once the lease expires.
                await deps.DueIndex.AddDueAsync(Index, taken.ExpiresAt, secret.Name, ct);
            }

            secret.RotationToken = taken.Format();
            run = new RotationRun(secret.Name, secret.ArnSuffix, secret.Arn(deps.Options), token, function, owner, previous, created, detachedFrom);
            return new SecretChange([], removed);
        }, cancellationToken);

        return run;
    }

    /// <summary>Extends the lease before a step. False when the rotation was cancelled or taken over.</summary>
    public async Task<bool> RenewAsync(RotationRun run, CancellationToken cancellationToken)
    {
        var kept = false;
        await _writer.UpdateAsync(run.Reference, "RotateSecret", RotationRun.SystemContext(), (secret, _) =>
        {
            kept = IsOurs(secret, run) && secret.RotationEnabled == true && !secret.IsDeleted;
            if (!kept)
            {
                return ValueTask.FromResult<SecretChange?>(null);
            }

            secret.RotationToken = new RotationLease(run.Token, deps.Now() + options.LeaseDuration, run.Owner).Format();
            return ValueTask.FromResult<SecretChange?>(SecretChange.MetadataOnly);
        }, cancellationToken);
        return kept;
    }

    /// <summary>
    /// Records a finished rotation: <c>LastRotatedDate</c>, the next window, the lease released.
    /// False when AWSCURRENT is not on the new version (finishSecret did not move it).
    /// </summary>
    public async Task<bool> CompleteAsync(RotationRun run, CancellationToken cancellationToken)
    {
        var finished = false;
        var indexed = new HashSet<DateTimeOffset>();
        await _writer.UpdateAsync(run.Reference, "RotateSecret", RotationRun.SystemContext(), async (secret, ct) =>
        {
            finished = secret.CurrentVersionId == run.Token;
            if (!finished || !IsOurs(secret, run))
            {
                return null;
            }

            StagingLabels.CompleteRotation(secret, run.Token);
            var now = deps.Now();
            secret.LastRotatedDate = now;
            var window = secret.RotationEnabled == true ? RotationSchedule.FromStored(secret.RotationRules)?.NextWindow(now, now) : null;
            if (window is { } next && indexed.Add(next.Start))
            {
                await deps.DueIndex.AddDueAsync(Index, next.Start, secret.Name, ct);
            }

            secret.NextRotationDate = window?.NextRotationDate ?? secret.NextRotationDate;
            secret.RotationToken = null;
            return SecretChange.MetadataOnly;
        }, cancellationToken);
        return finished;
    }

    /// <summary>Releases the lease after a failed step; the job retries after <see cref="RotationOptions.RetryFailedRotationAfter"/>.</summary>
    public async Task<DateTimeOffset> FailAsync(RotationRun run, CancellationToken cancellationToken)
    {
        var retryAt = deps.Now() + options.RetryFailedRotationAfter;
        await deps.DueIndex.AddDueAsync(Index, retryAt, run.Name, cancellationToken);
        await ReleaseAsync(run, null, cancellationToken);
        return retryAt;
    }

    /// <summary>
    /// Undoes <see cref="BeginAsync"/> when the function could not be invoked at all: AWS then
    /// answers AccessDenied and stores no rotation settings.
    /// </summary>
    public Task RollbackAsync(RotationRun run, CancellationToken cancellationToken) =>
        ReleaseAsync(run, async (secret, ct) =>
        {
            var before = run.Previous;
            secret.RotationEnabled = before.RotationEnabled;
            secret.RotationLambdaArn = before.RotationLambdaArn;
            secret.RotationRules = before.RotationRules;
            secret.NextRotationDate = before.NextRotationDate;
            secret.LastChangedDate = before.LastChangedDate;
            await RemovePlaceholderAsync(secret, run, ct);
            return before.RotationToken;
        }, cancellationToken);

    /// <summary>
    /// Ends the configuration test RotateImmediately=false runs: AWS "creates an AWSPENDING
    /// version of the secret and then removes it".
    /// </summary>
    public Task EndTestAsync(RotationRun run, CancellationToken cancellationToken) =>
        ReleaseAsync(run, async (secret, ct) =>
        {
            await RemovePlaceholderAsync(secret, run, ct);
            return null;
        }, cancellationToken);

    /// <summary>Clears the lease if this run still holds it, after <paramref name="change"/> (which returns the RotationToken to leave).</summary>
    private Task<SecretRecord> ReleaseAsync(RotationRun run, Func<SecretRecord, CancellationToken, Task<string?>>? change, CancellationToken cancellationToken) =>
        _writer.UpdateAsync(run.Reference, "RotateSecret", RotationRun.SystemContext(), async (secret, ct) =>
        {
            if (!IsOurs(secret, run))
            {
                return null;
            }

            secret.RotationToken = change is null ? null : await change(secret, ct);
            return SecretChange.MetadataOnly;
        }, cancellationToken);

    /// <summary>
    /// Takes back the version this run announced: without AWSPENDING, and gone altogether when
    /// nothing filled it; AWSPENDING goes back to the version it was taken from.
    /// </summary>
    private async Task RemovePlaceholderAsync(SecretRecord secret, RotationRun run, CancellationToken cancellationToken)
    {
        if (!run.CreatedPlaceholder || !secret.Versions.TryGetValue(run.Token, out var entry))
        {
            return;
        }

        entry.Stages.Remove(StagingLabels.Pending);
        if (entry.Stages.Count == 0 && await deps.Store.GetVersionAsync(secret.Name, run.Token, cancellationToken) is null)
        {
            secret.Versions.Remove(run.Token);
        }

        if (run.DetachedPendingFrom is { } holder && secret.Versions.ContainsKey(holder) && StagingLabels.FindVersion(secret, StagingLabels.Pending) is null)
        {
            StagingLabels.Attach(secret, holder, StagingLabels.Pending);
        }
    }

    private static bool IsOurs(SecretRecord secret, RotationRun run) =>
        RotationLease.Read(secret.RotationToken) is { } lease && lease.Owner == run.Owner && lease.Token == run.Token;

    /// <summary>
    /// What a days schedule counts from: the last rotation, or a later manual value change (AWS:
    /// "Manually updating the secret value ... is considered a valid rotation").
    /// </summary>
    public static DateTimeOffset LastRotation(SecretRecord secret, DateTimeOffset fallback)
    {
        var changed = secret.CurrentVersionId is { } current ? secret.Versions[current].CreatedDate : (DateTimeOffset?)null;
        var rotated = secret.LastRotatedDate;
        return (rotated, changed) switch
        {
            ({ } r, { } c) => r > c ? r : c,
            ({ } r, null) => r,
            (null, { } c) => c,
            _ => fallback,
        };
    }
}

/// <summary>What <see cref="RotationWrites.BeginAsync"/> is asked to do.</summary>
/// <param name="Reference">The secret, pinned to its ARN suffix.</param>
/// <param name="Token">The version id to rotate to; null lets an in-progress rotation resume (or starts one with a new id).</param>
/// <param name="Settings">RotateSecret's settings to store; null when the job starts a scheduled rotation.</param>
internal sealed record BeginRequest(SecretLocator.SecretReference Reference, string? Token, RotationSettings? Settings);

/// <summary>The rotation settings RotateSecret stores.</summary>
internal sealed record RotationSettings(string Function, RotationRules? Rules, bool RotateImmediately);

/// <summary>The rotation fields of a secret as they were before RotateSecret, for a rollback.</summary>
internal sealed record RotationSnapshot(bool? RotationEnabled, string? RotationLambdaArn, RotationRules? RotationRules, DateTimeOffset? NextRotationDate, string? RotationToken, DateTimeOffset? LastChangedDate);

/// <summary>One run of a rotation: which secret, which version, which function, which lease.</summary>
internal sealed record RotationRun(
    string Name,
    string ArnSuffix,
    string Arn,
    string Token,
    string Function,
    string Owner,
    RotationSnapshot Previous,
    bool CreatedPlaceholder,
    string? DetachedPendingFrom)
{
    public SecretLocator.SecretReference Reference => new(Name, ArnSuffix);

    /// <summary>The service acting on its own behalf (the rotation job, the steps after RotateSecret answered).</summary>
    public static RequestContext SystemContext() => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Operation = "RotateSecret",
    };
}
