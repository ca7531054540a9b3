using FuncSecrets.Core.Model;

namespace FuncSecrets.Core.Services;

/// <summary>
/// A value a write (PutSecretValue, UpdateSecret, CreateSecret, the built-in rotator) brings for
/// version <c>versionId</c>: before the aggregate takes it, asks what the token names already
/// and seals it, once per ARN and key (a retry after the secret was re-created under the same
/// name, or moved to another key, seals again). <c>requestedKmsKeyId</c> is UpdateSecret's
/// KmsKeyId: the value goes under the key the update leaves.
/// </summary>
public sealed class NewValue(OperationDependencies deps, string versionId, byte[] payload, string? requestedKmsKeyId = null)
{
    private readonly VersionValues _values = new(deps);
    private StoredVersion? _sealed;
    private (string Arn, string? KmsKeyId) _sealedFor;

    /// <summary>
    /// The value as <see cref="Secret.AddVersion"/> takes it. Nothing is sealed when the token
    /// names a version that holds a value already.
    /// </summary>
    public async Task<NewVersion> PrepareAsync(Secret secret, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var match = await _values.MatchTokenAsync(secret, versionId, payload, cancellationToken);
        if (match is TokenMatch.SameValue or TokenMatch.OtherValue)
        {
            return new NewVersion(versionId, match, null);
        }

        var target = (secret.Arn, secret.KmsKeyIdAfterUpdate(requestedKmsKeyId));
        if (_sealed is null || _sealedFor != target)
        {
            _sealed = await _values.SealAsync(target.Arn, target.Item2, versionId, payload, now, cancellationToken);
            _sealedFor = target;
        }

        return new NewVersion(versionId, match, _sealed);
    }
}
