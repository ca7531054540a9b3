namespace FuncSecrets.Core.Replication;

/// <summary>
/// One replica of a primary secret, as the primary's metadata row records it and DescribeSecret
/// shows it (<c>ReplicationStatus</c>): the Region, the KmsKeyId the caller chose for it (null for
/// the Region's default key), and the outcome of the last attempt to bring it in step.
/// <see cref="ForceOverwrite"/> (never on the wire) remembers the caller's
/// <c>ForceOverwriteReplicaSecret</c> until the replica is first in step, so a retry by the job
/// overwrites a same-named secret in the peer Region just as the call would have.
/// </summary>
public sealed record ReplicaState(
    string Region,
    string? KmsKeyId,
    string Status,
    string? StatusMessage,
    DateTimeOffset? LastAccessedDate = null,
    bool ForceOverwrite = false)
{
    /// <summary>The replica holds everything the primary held when it was last written.</summary>
    public const string InSync = "InSync";

    /// <summary>Replication was started and has not finished yet (or the process died meanwhile).</summary>
    public const string InProgress = "InProgress";

    /// <summary>The last attempt failed; <see cref="StatusMessage"/> says why.</summary>
    public const string Failed = "Failed";

    /// <summary>The status message of a replica in step (as AWS and moto word it).</summary>
    public const string SucceededMessage = "Replication succeeded";

    /// <summary>The KmsKeyId AWS shows for a replica sealed under the Region's default key.</summary>
    public const string DefaultKmsKeyId = "alias/aws/secretsmanager";
}
