using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Replication;

namespace FuncSecrets.Core.Services;

/// <summary>
/// The one way a handler changes an existing secret: read, change a copy, write it back
/// conditional on the ETag, and on a lost race read again and retry (bounded). Writers of one
/// secret in this process queue on a striped lock first (<see cref="WriteGate"/>), so ETag races
/// only happen between instances.
/// </summary>
public sealed class SecretWriter(OperationDependencies deps)
{
    private const int MaxAttempts = 25;
    private const string ContentionKey = "FuncSecrets.Contention";
    private static readonly TimeSpan QueueGiveUp = TimeSpan.FromMilliseconds(250);

    private readonly SecretAccess _access = new(deps);
    private readonly Replicator _replicator = new(deps);

    /// <summary>
    /// Checks the caller may perform <paramref name="action"/>, then applies
    /// <paramref name="change"/> to a fresh copy of the secret until the write sticks.
    /// <paramref name="change"/> may throw an <see cref="AwsException"/> to refuse; it returns the
    /// rows to add and remove with the new metadata, or null to write nothing.
    /// </summary>
    public async Task<SecretRecord> UpdateAsync(
        SecretLocator.SecretReference reference,
        string action,
        RequestContext context,
        Func<SecretRecord, CancellationToken, ValueTask<SecretChange?>> change,
        CancellationToken cancellationToken)
    {
        var stripe = deps.Gate.StripeFor(reference.Name);
        var queuedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        await stripe.WaitAsync(cancellationToken);
        try
        {
            // Queued a while behind a writer whose storage call failed meanwhile: storage is
            // down, so answer now rather than wait out another timeout. A short wait proves
            // nothing (the failure may be a straggler from before storage came back).
            if (deps.Gate.LastStorageFailure > queuedAt && System.Diagnostics.Stopwatch.GetElapsedTime(queuedAt) > QueueGiveUp)
            {
                throw AwsErrors.ServiceUnavailable();
            }

            return await UpdateLockedAsync(reference, action, context, change, cancellationToken);
        }
        catch (AwsException error) when (error.Code == AwsErrorCodes.ServiceUnavailable && !error.Data.Contains(ContentionKey))
        {
            deps.Gate.StorageFailed();
            throw;
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<SecretRecord> UpdateLockedAsync(
        SecretLocator.SecretReference reference,
        string action,
        RequestContext context,
        Func<SecretRecord, CancellationToken, ValueTask<SecretChange?>> change,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await _access.FindAuthorizedAsync(reference, action, context, cancellationToken) ?? throw AwsErrors.SecretNotFound();
            ReplicaGuard.RefuseIfReplica(current); // a replica is changed only by its primary (issue 14)
            var copy = current.Clone();
            var result = await change(copy, cancellationToken);
            if (result is null)
            {
                return current;
            }

            // Replication (issue 14): announced in the due index before the write, propagated
            // right after it; a crash in between leaves the entry for ReplicateSecretsJob.
            var replication = await _replicator.BeforeCommitAsync(current, copy, cancellationToken);
            if (await deps.Store.TryUpdateAsync(copy, result.Added, result.Removed, cancellationToken))
            {
                await _replicator.AfterCommitAsync(replication, copy, cancellationToken);
                return copy;
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
}

/// <summary>The rows a change adds and removes besides the metadata row.</summary>
public sealed record SecretChange(IReadOnlyList<StoredVersion> Added, IReadOnlyList<string> Removed)
{
    public static SecretChange MetadataOnly { get; } = new([], []);
}
