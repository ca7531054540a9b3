using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Rotation;

/// <summary>
/// Every change rotation makes to a secret, each one a <see cref="Secret"/> rotation method
/// written through <see cref="SecretChangeWriter"/>. No rotation function is ever called from
/// inside one of these writes: the function calls back into the API and would queue behind the
/// secret's writers. Due-index entries are written before the change they announce, as the purge
/// index is.
/// </summary>
internal sealed class RotationWrites(OperationDependencies deps, RotationOptions options)
{
    /// <summary>The due-time index the rotation job reads.</summary>
    public const string Index = "rotate";

    private readonly SecretChangeWriter _writer = new(deps);

    /// <summary>
    /// Takes the rotation lease and announces the new version (<see cref="Secret.BeginRotation"/>).
    /// Null when nothing is to run (a retry of a finished or running call).
    /// </summary>
    public async Task<RotationRun?> BeginAsync(BeginRequest request, RequestContext context, CancellationToken cancellationToken)
    {
        var owner = RotationLease.NewOwner();
        RotationRun? run = null;
        var indexed = new HashSet<DateTimeOffset>();
        await _writer.UpdateAsync(request.Reference, context, async (secret, ct) =>
        {
            run = null;
            var start = secret.BeginRotation(request.Token, request.Settings, owner, options.LeaseDuration, deps.Now());
            if (start is null)
            {
                return;
            }

            if (start.NextWindowStart is { } next && indexed.Add(next))
            {
                await deps.DueIndex.AddDueAsync(Index, next, secret.Name, ct);
            }

            if (indexed.Add(start.LeaseExpiresAt))
            {
                // Should this instance die mid-rotation, the job resumes it once the lease expires.
                await deps.DueIndex.AddDueAsync(Index, start.LeaseExpiresAt, secret.Name, ct);
            }

            run = new RotationRun(secret.Name, secret.ArnSuffix, secret.Arn, start.Token, start.Function, owner, start.Previous, start.CreatedPlaceholder, start.DetachedPendingFrom);
        }, cancellationToken);

        return run;
    }

    /// <summary>Extends the lease before a step. False when the rotation was cancelled or taken over.</summary>
    public async Task<bool> RenewAsync(RotationRun run, CancellationToken cancellationToken)
    {
        var kept = false;
        await _writer.UpdateAsync(run.Reference, RotationRun.SystemContext(), secret => kept = secret.RenewRotation(run, deps.Now() + options.LeaseDuration), cancellationToken);
        return kept;
    }

    /// <summary>
    /// Records a finished rotation (<see cref="Secret.CompleteRotation"/>). False when AWSCURRENT
    /// is not on the new version (finishSecret did not move it).
    /// </summary>
    public async Task<bool> CompleteAsync(RotationRun run, CancellationToken cancellationToken)
    {
        var finished = false;
        var indexed = new HashSet<DateTimeOffset>();
        await _writer.UpdateAsync(run.Reference, RotationRun.SystemContext(), async (secret, ct) =>
        {
            finished = secret.CompleteRotation(run, deps.Now(), out var next);
            if (next is { } start && indexed.Add(start))
            {
                await deps.DueIndex.AddDueAsync(Index, start, secret.Name, ct);
            }
        }, cancellationToken);
        return finished;
    }

    /// <summary>Releases the lease after a failed step; the job retries after <see cref="RotationOptions.RetryFailedRotationAfter"/>.</summary>
    public async Task<DateTimeOffset> FailAsync(RotationRun run, CancellationToken cancellationToken)
    {
        var retryAt = deps.Now() + options.RetryFailedRotationAfter;
        await deps.DueIndex.AddDueAsync(Index, retryAt, run.Name, cancellationToken);
        await _writer.UpdateAsync(run.Reference, RotationRun.SystemContext(), secret => secret.ReleaseRotation(run), cancellationToken);
        return retryAt;
    }

    /// <summary>Undoes <see cref="BeginAsync"/> when the function could not be invoked at all (<see cref="Secret.RollBackRotation"/>).</summary>
    public async Task RollbackAsync(RotationRun run, CancellationToken cancellationToken)
    {
        var stored = await PlaceholderStoredAsync(run, cancellationToken);
        await _writer.UpdateAsync(run.Reference, RotationRun.SystemContext(), secret => secret.RollBackRotation(run, stored), cancellationToken);
    }

    /// <summary>Ends the configuration test RotateImmediately=false runs (<see cref="Secret.EndRotationTest"/>).</summary>
    public async Task EndTestAsync(RotationRun run, CancellationToken cancellationToken)
    {
        var stored = await PlaceholderStoredAsync(run, cancellationToken);
        await _writer.UpdateAsync(run.Reference, RotationRun.SystemContext(), secret => secret.EndRotationTest(run, stored), cancellationToken);
    }

    /// <summary>Whether the version <paramref name="run"/> announced has a row (something filled it), so taking it back keeps it.</summary>
    private async Task<bool> PlaceholderStoredAsync(RotationRun run, CancellationToken cancellationToken) =>
        run.CreatedPlaceholder && await deps.Store.GetVersionAsync(run.Name, run.Token, cancellationToken) is not null;
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

    /// <summary>
    /// The service acting on its own behalf (the rotation job, the steps after RotateSecret
    /// answered), as <paramref name="operation"/> (the built-in rotator's steps are the calls a
    /// rotation function makes: PutSecretValue, UpdateSecretVersionStage).
    /// </summary>
    public static RequestContext SystemContext(string operation = "RotateSecret") => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        Operation = operation,
    };
}
