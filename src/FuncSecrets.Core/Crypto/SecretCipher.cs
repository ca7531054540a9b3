using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using FuncSecrets.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FuncSecrets.Core.Crypto;

/// <summary>
/// Envelope encryption of secret values. Each version gets a fresh 256-bit data key; the value is
/// sealed with AES-256-GCM (random 96-bit nonce, 16-byte tag appended to the ciphertext) with the
/// secret ARN and version id as associated data, so a row cannot be moved to another secret or
/// version; the data key is wrapped by the key the secret's KmsKeyId selects.
/// </summary>
/// <remarks>
/// Every failure to open is one <c>DecryptionFailure</c> with no hint of which check failed (the
/// reason is logged for the operator); a failure to wrap is <c>EncryptionFailure</c>. Plaintext
/// data keys are zeroed in <c>finally</c>. Cancellation by the caller stays a cancellation.
/// </remarks>
public sealed class SecretCipher : ISecretCipher
{
    public const int DataKeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    private readonly KeyWrapperRegistry _keys;
    private readonly ICryptoRandom _random;
    private readonly ILogger _logger;

    /// <param name="keys">Resolves KmsKeyIds and stored key ids to key wrappers.</param>
    /// <param name="cache">Unwrapped data keys; reads served from it make no wrapper call.</param>
    /// <param name="random">Data keys and nonces; <see cref="SystemCryptoRandom"/> when null.</param>
    /// <param name="logger">Failure reasons (key ids only).</param>
    public SecretCipher(KeyWrapperRegistry keys, DataKeyCache cache, ICryptoRandom? random = null, ILogger<SecretCipher>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(cache);
        _keys = keys;
        Cache = cache;
        _random = random ?? SystemCryptoRandom.Instance;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>The data-key cache (its <c>UnwrapCalls</c> and <c>Hits</c> counters feed the benchmark).</summary>
    public DataKeyCache Cache { get; }

    /// <summary>The key-encryption keys (the start-up warm-up wraps and unwraps a throwaway key with the default one).</summary>
    public KeyWrapperRegistry Keys => _keys;

    public void ValidateKmsKeyId(string? kmsKeyId) => _keys.ForKmsKeyId(kmsKeyId);

    public async Task<SealedValue> SealAsync(string? kmsKeyId, ReadOnlyMemory<byte> plaintext, string arn, string versionId, CancellationToken cancellationToken)
    {
        // Validated on create/update; failing here means the configuration changed underneath.
        if (!_keys.TryGetForKmsKeyId(kmsKeyId, out var wrapper))
        {
            CryptoLog.SealFailed(_logger, "the secret's KmsKeyId no longer names a configured key", kmsKeyId ?? string.Empty);
            throw AwsErrors.EncryptionFailure();
        }

        var dataKey = GC.AllocateArray<byte>(DataKeySize, pinned: true);
        try
        {
            _random.Fill(dataKey);
            var nonce = new byte[NonceSize];
            _random.Fill(nonce);
            var ciphertext = new byte[plaintext.Length + TagSize];
            using (var gcm = new AesGcm(dataKey, TagSize))
            {
                gcm.Encrypt(nonce, plaintext.Span, ciphertext.AsSpan(0, plaintext.Length), ciphertext.AsSpan(plaintext.Length), AssociatedData(arn, versionId));
            }

            WrappedKey wrapped;
            try
            {
                wrapped = await wrapper.WrapKeyAsync(dataKey, cancellationToken);
            }
            catch (Exception e) when (!IsCallerCancellation(e, cancellationToken))
            {
                CryptoLog.SealFailed(_logger, "the key wrapper failed", wrapper.KeyId);
                throw AwsErrors.EncryptionFailure();
            }

            Cache.Add(wrapped.KeyId, wrapped.Value, dataKey);
            return new SealedValue(wrapped.KeyId, wrapped.Value, nonce, ciphertext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public async Task<byte[]> OpenAsync(SealedValue sealedValue, string arn, string versionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        var dataKey = await UnwrapAsync(sealedValue, cancellationToken);
        try
        {
            var ciphertext = sealedValue.Ciphertext.AsSpan();
            var plaintext = new byte[ciphertext.Length - TagSize];
            try
            {
                using var gcm = new AesGcm(dataKey, TagSize);
                gcm.Decrypt(sealedValue.Nonce, ciphertext[..^TagSize], ciphertext[^TagSize..], plaintext, AssociatedData(arn, versionId));
                return plaintext;
            }
            catch (CryptographicException)
            {
                // Tag mismatch: wrong ARN or version id, or a changed nonce, ciphertext or tag.
                CryptographicOperations.ZeroMemory(plaintext);
                throw OpenFailure("the authentication tag did not verify", sealedValue.KeyId);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    public async Task<SealedValue> RewrapAsync(SealedValue sealedValue, string? kmsKeyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        if (!_keys.TryGetForKmsKeyId(kmsKeyId, out var target))
        {
            CryptoLog.RewrapFailed(_logger, "the new KmsKeyId names no configured key", sealedValue.KeyId, kmsKeyId ?? string.Empty);
            throw AwsErrors.EncryptionFailure();
        }

        if (string.Equals(target.KeyId, sealedValue.KeyId, StringComparison.Ordinal))
        {
            return sealedValue;
        }

        var dataKey = await UnwrapAsync(sealedValue, cancellationToken);
        try
        {
            WrappedKey wrapped;
            try
            {
                wrapped = await target.WrapKeyAsync(dataKey, cancellationToken);
            }
            catch (Exception e) when (!IsCallerCancellation(e, cancellationToken))
            {
                CryptoLog.RewrapFailed(_logger, "the new key wrapper failed", sealedValue.KeyId, target.KeyId);
                throw AwsErrors.EncryptionFailure();
            }

            Cache.Add(wrapped.KeyId, wrapped.Value, dataKey);
            return sealedValue with { KeyId = wrapped.KeyId, WrappedKey = wrapped.Value };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>
    /// The associated data: the ARN's UTF-8 length as a 4-byte big-endian integer, the ARN, then
    /// the version id. The length prefix keeps the split unambiguous whatever either part holds.
    /// </summary>
    internal static byte[] AssociatedData(string arn, string versionId)
    {
        var arnLength = Encoding.UTF8.GetByteCount(arn);
        var aad = new byte[4 + arnLength + Encoding.UTF8.GetByteCount(versionId)];
        BinaryPrimitives.WriteInt32BigEndian(aad, arnLength);
        Encoding.UTF8.GetBytes(arn, aad.AsSpan(4));
        Encoding.UTF8.GetBytes(versionId, aad.AsSpan(4 + arnLength));
        return aad;
    }

    /// <summary>The plaintext data key of <paramref name="sealedValue"/> (the caller zeroes it); DecryptionFailure otherwise.</summary>
    private async Task<byte[]> UnwrapAsync(SealedValue sealedValue, CancellationToken cancellationToken)
    {
        var keyId = sealedValue.KeyId ?? string.Empty;
        if (sealedValue.Nonce is not { Length: NonceSize } || sealedValue.Ciphertext is not { Length: >= TagSize } ||
            sealedValue.WrappedKey is not { Length: > 0 } || keyId.Length == 0)
        {
            throw OpenFailure("the stored value is malformed", keyId);
        }

        IKeyWrapper wrapper;
        try
        {
            wrapper = _keys.ForStoredKeyId(keyId);
        }
        catch (AwsException)
        {
            throw OpenFailure("no configured key has this key id", keyId);
        }

        byte[] dataKey;
        try
        {
            dataKey = await Cache.GetOrUnwrapAsync(wrapper, keyId, sealedValue.WrappedKey, cancellationToken);
        }
        catch (Exception e) when (!IsCallerCancellation(e, cancellationToken))
        {
            throw OpenFailure("the key wrapper could not unwrap the data key", keyId);
        }

        if (dataKey.Length != DataKeySize)
        {
            CryptographicOperations.ZeroMemory(dataKey);
            throw OpenFailure("the unwrapped data key has the wrong length", keyId);
        }

        return dataKey;
    }

    private AwsException OpenFailure(string reason, string keyId)
    {
        CryptoLog.OpenFailed(_logger, reason, keyId);
        return AwsErrors.DecryptionFailure();
    }

    private static bool IsCallerCancellation(Exception e, CancellationToken cancellationToken) =>
        e is OperationCanceledException && cancellationToken.IsCancellationRequested;
}
