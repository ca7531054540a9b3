using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Rotation;
using FuncSecrets.Core.Services;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Core.Replication;

/// <summary>
/// StopReplicationToReplica, called in the replica's Region: the replica becomes a standalone
/// secret here first (so promotion works while the primary's Region is lost), then the primary's
/// Region is told to forget it. When the primary's Region does not answer, its next
/// synchronisation finds the replica promoted and drops it from its list.
/// </summary>
public sealed class ReplicaPromotion(OperationDependencies deps)
{
    private const int MaxAttempts = 25;

    private readonly SecretAccess _access = new(deps);
    private readonly ILogger _logger = deps.LoggerFactory.CreateLogger("FuncSecrets.Replication");

    /// <summary>Promotes the replica <paramref name="reference"/> names; returns it as stored.</summary>
    public async Task<SecretRecord> PromoteAsync(SecretLocator.SecretReference reference, string action, RequestContext context, CancellationToken cancellationToken)
    {
        SecretRecord promoted;
        string primaryRegion;
        var stripe = deps.WriterQueues.For(reference.Name);
        await stripe.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var current = await _access.LoadAsync(reference, action, context, cancellationToken);
                primaryRegion = current.PrimaryRegion ?? throw AwsErrors.NotAReplica();
                promoted = current.Clone();
                promoted.PrimaryRegion = null;
                if (promoted is { RotationEnabled: true, NextRotationDate: { } next })
                {
                    // Rotation was the primary's business; from now on this Region's rotation job owns it.
                    await deps.DueIndex.AddDueAsync(RotationWrites.Index, next, promoted.Name, cancellationToken);
                }

                if (await deps.Store.TryUpdateAsync(promoted, [], [], cancellationToken))
                {
                    break;
                }

                if (attempt == MaxAttempts)
                {
                    throw AwsErrors.ServiceUnavailable();
                }
            }
        }
        finally
        {
            stripe.Release();
        }

        await TellPrimaryAsync(promoted, primaryRegion, cancellationToken);
        return promoted;
    }

    /// <summary>Removes this Region from the primary's replica list, best effort.</summary>
    private async Task TellPrimaryAsync(SecretRecord promoted, string primaryRegion, CancellationToken cancellationToken)
    {
        if (deps.Peers.Find(primaryRegion) is not { } peer)
        {
            return;
        }

        try
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var stored = await peer.Store.GetAsync(promoted.Name, cancellationToken);
                if (stored is null || stored.ArnSuffix != promoted.ArnSuffix)
                {
                    return;
                }

                var primary = new Secret(stored, deps.Options);
                primary.RemoveReplicas([deps.Options.Region]);
                if (primary.Change() is not { } change)
                {
                    return;
                }

                if (await peer.Store.TryUpdateAsync(change.Record, [], [], cancellationToken))
                {
                    return;
                }
            }
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.PrimaryNotTold(_logger, error, promoted.Name, primaryRegion);
        }
    }
}
