using System.Globalization;
using System.Text.RegularExpressions;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Services;

namespace FuncSecrets.Core.Replication;

/// <summary>
/// Validation of the Region lists of CreateSecret, ReplicateSecretToRegions and
/// RemoveRegionsFromReplication: the model's constraints first (a list of at least one Region,
/// each 1-128 characters matching <c>^([a-z]+-)+\d+$</c>), then what this deployment can do
/// (a configured peer, not this Region, not twice).
/// </summary>
public static partial class ReplicaRegionRequest
{
    private const int RegionMaxLength = 128;

    /// <summary>
    /// The model's constraints on a list of replicas to add (checked before the secret is looked
    /// up); throws ValidationException for a list or Region that breaks them.
    /// </summary>
    public static void CheckAdd(IReadOnlyList<ReplicaRegion>? regions, string member = "addReplicaRegions")
    {
        if (regions is null)
        {
            throw AwsErrors.MissingMember(member);
        }

        if (regions.Count == 0)
        {
            throw AwsErrors.MinLength(member, 1);
        }

        for (var i = 0; i < regions.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"{member}.{i + 1}.member");
            CheckRegionShape(regions[i]?.Region, path + ".region", required: false);
            Validate.Length(regions[i]?.KmsKeyId, path + ".kmsKeyId", 0, Model.Limits.KmsKeyIdMaxLength, showValue: false);
        }
    }

    /// <summary>
    /// The peers the replicas go to, with their KmsKeyIds (null for the peer's default key). A
    /// Region that is missing, this Region, given twice or not a configured peer answers
    /// InvalidParameterException "Invalid replica region."; a KmsKeyId the peer cannot use
    /// answers as an invalid key does in that Region.
    /// </summary>
    public static IReadOnlyList<(ReplicationPeer Peer, string? KmsKeyId)> Resolve(IReadOnlyList<ReplicaRegion> regions, ReplicationPeers peers, string localRegion)
    {
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(peers);
        var result = new List<(ReplicationPeer, string?)>(regions.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in regions)
        {
            var region = entry?.Region;
            if (region is null || region == localRegion || !seen.Add(region) || peers.Find(region) is not { } peer)
            {
                throw AwsErrors.InvalidReplicaRegion();
            }

            var kmsKeyId = string.IsNullOrEmpty(entry!.KmsKeyId) ? null : entry.KmsKeyId;
            peer.Cipher.ValidateKmsKeyId(kmsKeyId);
            result.Add((peer, kmsKeyId));
        }

        return result;
    }

    /// <summary>Adds the resolved replicas to a primary (copy being changed) as InProgress; Regions already there keep their entry.</summary>
    public static void AddTo(Model.SecretRecord primary, IReadOnlyList<(ReplicationPeer Peer, string? KmsKeyId)> wanted, bool forceOverwrite)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(wanted);
        primary.Replicas ??= [];
        foreach (var (peer, kmsKeyId) in wanted)
        {
            var index = primary.Replicas.FindIndex(r => r.Region == peer.Region);
            if (index < 0)
            {
                primary.Replicas.Add(new ReplicaState(peer.Region, kmsKeyId, ReplicaState.InProgress, null, null, forceOverwrite));
            }
            else if (forceOverwrite && primary.Replicas[index].Status != ReplicaState.InSync)
            {
                // A replica that failed because the name was taken: overwrite it this time.
                primary.Replicas[index] = primary.Replicas[index] with { Status = ReplicaState.InProgress, StatusMessage = null, ForceOverwrite = true };
            }
        }
    }

    /// <summary>The Regions to remove, validated against the model (unknown ones are ignored, as AWS does).</summary>
    public static IReadOnlyList<string> ValidateRemove(IReadOnlyList<string?>? regions, string member = "removeReplicaRegions")
    {
        if (regions is null)
        {
            throw AwsErrors.MissingMember(member);
        }

        if (regions.Count == 0)
        {
            throw AwsErrors.MinLength(member, 1);
        }

        for (var i = 0; i < regions.Count; i++)
        {
            CheckRegionShape(regions[i], string.Create(CultureInfo.InvariantCulture, $"{member}.{i + 1}.member"), required: true);
        }

        return [.. regions.Distinct(StringComparer.Ordinal)!];
    }

    private static void CheckRegionShape(string? region, string path, bool required)
    {
        if (region is null)
        {
            if (required)
            {
                throw AwsErrors.MissingMember(path);
            }

            return;
        }

        if (region.Length == 0)
        {
            throw AwsErrors.MinLength(path, 1, region);
        }

        if (region.Length > RegionMaxLength)
        {
            // A value this long is not echoed back.
            throw AwsErrors.MaxLength(path, RegionMaxLength);
        }

        if (!RegionPattern().IsMatch(region))
        {
            throw AwsErrors.ConstraintViolation(path, @"Member must satisfy regular expression pattern: ^([a-z]+-)+\d+$", Printable(region));
        }
    }

    /// <summary>Echoes a refused Region only when it is plain text, so no control character reaches the answer.</summary>
    private static string? Printable(string value) => value.All(c => c is >= ' ' and < (char)0x7f) ? value : null;

    [GeneratedRegex(@"^([a-z]+-)+[0-9]+\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex RegionPattern();
}
