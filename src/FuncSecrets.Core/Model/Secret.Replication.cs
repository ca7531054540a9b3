using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Replication;

namespace FuncSecrets.Core.Model;

/// <summary>
/// The replication side of a secret (issue 14): which peer Regions hold replicas of it, and what a
/// replica and a primary with replicas refuse. The texts live in <see cref="ReplicaGuard"/>; the
/// replica rows themselves are written by <see cref="Replicator"/> after the commit.
/// </summary>
public sealed partial class Secret
{
    /// <summary>The replicas of this primary and their last known state; null when it has none.</summary>
    public IReadOnlyList<ReplicaState>? Replicas => _record.Replicas;

    /// <summary>The Region of the primary when this secret is a replica; null for a primary.</summary>
    public string? PrimaryRegion => _record.PrimaryRegion;

    /// <summary>A replica changes only through its primary: every write refuses it.</summary>
    public void EnsureNotReplica() => ReplicaGuard.RefuseIfReplica(_record);

    /// <summary>DeleteSecret: a primary must lose its replicas first.</summary>
    public void EnsureNoReplicas(string secretIdAsGiven) => ReplicaGuard.RefuseDeletingPrimary(_record, secretIdAsGiven);

    /// <summary>ReplicateSecretToRegions and CreateSecret's AddReplicaRegions.</summary>
    public void AddReplicas(IReadOnlyList<(ReplicationPeer Peer, string? KmsKeyId)> wanted, bool forceOverwrite)
    {
        EnsureNotDeleted();
        ReplicaRegionRequest.AddTo(_record, wanted, forceOverwrite);
        _changed = true;
    }

    /// <summary>
    /// RemoveRegionsFromReplication: forgets the replicas in <paramref name="regions"/> (the
    /// replicator deletes their rows after the commit). Regions without a replica are ignored.
    /// </summary>
    public void RemoveReplicas(IReadOnlyCollection<string> regions)
    {
        if (_record.Replicas is null || _record.Replicas.RemoveAll(r => regions.Contains(r.Region, StringComparer.Ordinal)) == 0)
        {
            return;
        }

        if (_record.Replicas.Count == 0)
        {
            _record.Replicas = null;
        }

        _changed = true;
    }

    /// <summary>
    /// StopReplicationToReplica: this replica becomes a standalone secret in its own Region, with
    /// its values, labels, tags and description. Answers the Region of its former primary and, when
    /// rotation is on, when this Region's rotation job must next rotate it (the primary's job did).
    /// </summary>
    public Promotion Promote()
    {
        var formerPrimary = _record.PrimaryRegion ?? throw AwsErrors.NotAReplica();
        _record.PrimaryRegion = null;
        _changed = true;
        return new Promotion(formerPrimary, _record is { RotationEnabled: true, NextRotationDate: { } next } ? next : null);
    }
}

/// <summary>What <see cref="Secret.Promote"/> leaves to do outside the secret.</summary>
/// <param name="FormerPrimaryRegion">The Region to tell that it lost a replica.</param>
/// <param name="NextRotation">When the promoted secret's rotation falls due here; null without rotation.</param>
public sealed record Promotion(string FormerPrimaryRegion, DateTimeOffset? NextRotation);
