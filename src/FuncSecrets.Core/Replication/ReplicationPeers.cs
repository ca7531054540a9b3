namespace FuncSecrets.Core.Replication;

/// <summary>
/// The peer Regions this deployment may replicate to and promote from, from configuration
/// (<c>FuncSecrets:Replication:Peers</c>). Empty by default: a deployment without peers answers
/// every replica Region as invalid, as AWS answers a Region it does not know.
/// </summary>
public sealed class ReplicationPeers
{
    private readonly Dictionary<string, ReplicationPeer> _byRegion;

    public ReplicationPeers(IEnumerable<ReplicationPeer> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        _byRegion = new Dictionary<string, ReplicationPeer>(StringComparer.Ordinal);
        foreach (var peer in peers)
        {
            if (!_byRegion.TryAdd(peer.Region, peer))
            {
                throw new InvalidOperationException($"The replication peer Region {peer.Region} is configured twice.");
            }
        }
    }

    /// <summary>No peers: replication is refused with AWS's invalid-Region answer.</summary>
    public static ReplicationPeers None { get; } = new([]);

    public IReadOnlyCollection<ReplicationPeer> All => _byRegion.Values;

    /// <summary>
    /// How long the replication job leaves a change to the write path that made it before it
    /// synchronises the secret itself (<c>FuncSecrets:Replication:RetryDelaySeconds</c>): long
    /// enough that the two rarely both work on one change, short enough that a Failed replica
    /// is retried soon after its Region is back.
    /// </summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public ReplicationPeer? Find(string region) => _byRegion.GetValueOrDefault(region);
}
