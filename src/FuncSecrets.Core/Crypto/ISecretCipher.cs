namespace FuncSecrets.Core.Crypto;

/// <summary>
/// Envelope encryption of secret values: a fresh 256-bit data key per version, AES-256-GCM with
/// the secret ARN and version id as associated data, the data key wrapped by the key-encryption
/// key that the secret's <c>KmsKeyId</c> selects.
/// </summary>
public interface ISecretCipher
{
    /// <summary>
    /// Passes for null, empty, <c>alias/aws/secretsmanager</c>, a configured alias and a Key Vault
    /// key URI in an allowed vault; otherwise throws <c>InvalidParameterException</c> "The operation
    /// failed because of an invalid KMS key: Invalid keyId", as AWS answers for an unusable key.
    /// </summary>
    void ValidateKmsKeyId(string? kmsKeyId);

    /// <summary>Seals a plaintext; failures are <c>EncryptionFailure</c>.</summary>
    Task<SealedValue> SealAsync(string? kmsKeyId, ReadOnlyMemory<byte> plaintext, string arn, string versionId, CancellationToken cancellationToken);

    /// <summary>Opens a sealed value; every failure is one <c>DecryptionFailure</c>.</summary>
    Task<byte[]> OpenAsync(SealedValue sealedValue, string arn, string versionId, CancellationToken cancellationToken);

    /// <summary>
    /// Re-wraps the data key of a sealed value under the key that <paramref name="kmsKeyId"/>
    /// selects, without touching the ciphertext (what AWS does when a secret's KMS key changes).
    /// </summary>
    Task<SealedValue> RewrapAsync(SealedValue sealedValue, string? kmsKeyId, CancellationToken cancellationToken);
}
