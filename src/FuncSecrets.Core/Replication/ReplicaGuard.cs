using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Replication;

/// <summary>
/// What a replica refuses and what a primary with replicas refuses, in one place. A replica is
/// read-only in its Region: writes, rotation, tags, policies, restore, deletion and the
/// replication calls answer <c>InvalidParameterException</c> "Operation not permitted on a replica
/// secret..." (moto's replication tests record the list and the text). Reads are allowed.
/// </summary>
public static class ReplicaGuard
{
    /// <summary>Refuses any change to a replica; called by the one writer every change goes through.</summary>
    public static void RefuseIfReplica(SecretRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.PrimaryRegion is not null)
        {
            throw AwsErrors.OperationNotPermittedOnReplica();
        }
    }

    /// <summary>DeleteSecret on a primary: its replicas must be removed first.</summary>
    public static void RefuseDeletingPrimary(SecretRecord record, string secretIdAsGiven)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Replicas is { Count: > 0 } replicas)
        {
            throw AwsErrors.PrimaryHasReplicas(secretIdAsGiven, replicas.Select(r => r.Region));
        }
    }

    /// <summary>
    /// The primary Region a <c>primary-region</c> filter matches: a replica's primary, this Region
    /// for a secret with replicas, none for a secret that was never replicated (as moto's
    /// test_filter_with_primary_region records).
    /// </summary>
    public static string? PrimaryRegionOf(SecretRecord record, string localRegion)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.PrimaryRegion ?? (record.Replicas is { Count: > 0 } ? localRegion : null);
    }
}
