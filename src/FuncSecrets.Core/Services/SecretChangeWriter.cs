using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Replication;

namespace FuncSecrets.Core.Services;

/// <summary>
/// The one writer of secrets. An update loads the secret as the caller may see it
/// (<see cref="SecretAccess"/>, authorized for <see cref="RequestContext.Operation"/>), lets the
/// operation act on a <see cref="Secret"/>, and writes the resulting <see cref="SecretChange"/>
/// conditional on the ETag; on a lost race it loads again and retries (bounded). Writers of one
/// secret in this process queue first (<see cref="WriterQueues"/>), so ETag races only happen
/// between instances. Before a write it copies the AWSCURRENT version's sealed value into the
/// metadata row, as the change names it.
/// </summary>
public sealed class SecretChangeWriter(OperationDependencies deps)
{
    private const int MaxAttempts = 25;
    private const string ContentionKey = "FuncSecrets.Contention";
    private static readonly TimeSpan QueueGiveUp = TimeSpan.FromMilliseconds(250);

    private readonly SecretAccess _access = new(deps);
    private readonly Replicator _replicator = new(deps);

    /// <summary>
    /// Applies <paramref name="operation"/> to a fresh copy of the secret until the write sticks
    /// and returns the stored record (the one loaded when the operation changed nothing).
    /// <paramref name="operation"/> refuses by throwing an <see cref="AwsException"/>; it may run
    /// more than once, each time on a fresh copy.
    /// </summary>
    public Task<SecretRecord> UpdateAsync(SecretLocator.SecretReference reference, RequestContext context, Action<Secret> operation, CancellationToken cancellationToken) =>
        UpdateAsync(reference, context, (secret, _) =>
        {
            operation(secret);
            return ValueTask.CompletedTask;
        }, cancellationToken);

    /// <inheritdoc cref="UpdateAsync(SecretLocator.SecretReference, RequestContext, Action{Secret}, CancellationToken)"/>
    public Task<SecretRecord> UpdateAsync(SecretLocator.SecretReference reference, RequestContext context, Func<Secret, CancellationToken, ValueTask> operation, CancellationToken cancellationToken) =>
        QueueAsync(reference, context, operation, replicaAccepts: false, cancellationToken);

    /// <summary>
    /// The one change a replica accepts (<see cref="Secret.Promote"/>, StopReplicationToReplica):
    /// as <see cref="UpdateAsync(SecretLocator.SecretReference, RequestContext, Action{Secret}, CancellationToken)"/>,
    /// without refusing a replica first.
    /// </summary>
    public Task<SecretRecord> UpdateReplicaAsync(SecretLocator.SecretReference reference, RequestContext context, Func<Secret, CancellationToken, ValueTask> operation, CancellationToken cancellationToken) =>
        QueueAsync(reference, context, operation, replicaAccepts: true, cancellationToken);

    private async Task<SecretRecord> QueueAsync(SecretLocator.SecretReference reference, RequestContext context, Func<Secret, CancellationToken, ValueTask> operation, bool replicaAccepts, CancellationToken cancellationToken)
    {
        var stripe = deps.WriterQueues.For(reference.Name);
        var queuedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        await stripe.WaitAsync(cancellationToken);
        try
        {
            // Queued a while behind a writer whose storage call failed meanwhile: storage is
            // down, so answer now rather than wait out another timeout. A short wait proves
            // nothing (the failure may be a straggler from before storage came back).
            if (deps.WriterQueues.LastStorageFailure > queuedAt && System.Diagnostics.Stopwatch.GetElapsedTime(queuedAt) > QueueGiveUp)
            {
                throw AwsErrors.ServiceUnavailable();
            }

            return await UpdateLockedAsync(reference, context, operation, replicaAccepts, cancellationToken);
        }
        catch (AwsException error) when (error.Code == AwsErrorCodes.ServiceUnavailable && !error.Data.Contains(ContentionKey))
        {
            deps.WriterQueues.StorageFailed();
            throw;
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>
    /// Inserts a new secret (<see cref="Secret.Create"/>). False when a secret of that name
    /// already exists, live or scheduled for deletion.
    /// </summary>
    public async Task<bool> CreateAsync(Secret secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var change = secret.Change() ?? throw new InvalidOperationException("A new secret is always a change.");
        return await CommitAsync(change, change.Record, cancellationToken);
    }

    private async Task<SecretRecord> UpdateLockedAsync(
        SecretLocator.SecretReference reference,
        RequestContext context,
        Func<Secret, CancellationToken, ValueTask> operation,
        bool replicaAccepts,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await _access.FindAuthorizedAsync(reference, context.Operation, context, cancellationToken) ?? throw AwsErrors.SecretNotFound();
            var secret = new Secret(stored, deps.Options);
            if (!replicaAccepts)
            {
                secret.EnsureNotReplica(); // a replica is changed only by its primary (issue 14)
            }

            await operation(secret, cancellationToken);
            if (secret.Change() is not { } change)
            {
                return stored;
            }

            if (await CommitAsync(change, stored, cancellationToken))
            {
                return change.Record;
            }

            if (attempt == MaxAttempts)
            {
                // Another instance kept winning: a server-side condition, not the caller's
                // fault, and not a storage outage (queued writers need not give up).
                var contention = AwsErrors.ServiceUnavailable();
                contention.Data[ContentionKey] = true;
                throw contention;
            }

            // Real time, not the injected clock: this is back-off between storage calls, not business time.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), cancellationToken);
        }
    }

    /// <summary>Writes one change in one transaction; false when the name or the ETag was taken first.</summary>
    private async Task<bool> CommitAsync(SecretChange change, SecretRecord before, CancellationToken cancellationToken)
    {
        await CopyCurrentAsync(change, cancellationToken);

        // Replication (issue 14): announced in the due index before the write, so a crash between
        // this write and the replicas' leaves the entry for ReplicateSecretsJob.
        var replication = await _replicator.BeforeCommitAsync(before, change.Record, cancellationToken);
        var committed = change.IsNew
            ? await deps.Store.CreateAsync(change.Record, change.Added, cancellationToken)
            : await deps.Store.TryUpdateAsync(change.Record, change.Added, change.Removed, cancellationToken);
        if (!committed)
        {
            return false;
        }

        // Committed: the one place where anything that follows a successful write goes.
        await _replicator.AfterCommitAsync(replication, change.Record, cancellationToken);
        return true;
    }

    /// <summary>The AWSCURRENT copy in the metadata row, so the common read costs one round trip.</summary>
    private async Task CopyCurrentAsync(SecretChange change, CancellationToken cancellationToken)
    {
        if (change.CopyCurrentFrom is not { } id)
        {
            return;
        }

        var fresh = change.Added.FirstOrDefault(v => v.VersionId == id);
        change.Record.CurrentValue = fresh?.Value
            ?? (await deps.Store.GetVersionAsync(change.Record.Name, id, cancellationToken))?.Value
            ?? throw AwsErrors.Internal();
    }
}
