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

    private readonly SecretChangeWriter _writer = new(deps);
    private readonly ILogger _logger = deps.LoggerFactory.CreateLogger("FuncSecrets.Replication");

    /// <summary>Promotes the replica <paramref name="reference"/> names; returns it as stored.</summary>
    public async Task<SecretRecord> PromoteAsync(SecretLocator.SecretReference reference, RequestContext context, CancellationToken cancellationToken)
    {
        Promotion? promotion = null;
        var announced = new HashSet<DateTimeOffset>();
        var promoted = await _writer.UpdateReplicaAsync(reference, context, async (secret, ct) =>
        {
            promotion = secret.Promote();
            if (promotion.NextRotation is { } next && announced.Add(next))
            {
                // Announced before the write, as every due-index entry is.
                await deps.DueIndex.AddDueAsync(RotationWrites.Index, next, secret.Name, ct);
            }
        }, cancellationToken);

        await TellPrimaryAsync(promoted, promotion!.FormerPrimaryRegion, cancellationToken);
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
