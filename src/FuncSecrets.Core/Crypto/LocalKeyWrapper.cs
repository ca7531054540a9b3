using System.Security.Cryptography;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Crypto;

/// <summary>
/// The local key-encryption key: AES key wrap with padding (RFC 5649) under a 256-bit key from
/// configuration. Its <see cref="KeyId"/> is derived from the key, so rows wrapped under another
/// local key are recognised as such and fail as <c>DecryptionFailure</c> instead of being fed to
/// the wrong key.
/// </summary>
public sealed class LocalKeyWrapper : IKeyWrapper, IDisposable
{
    public const string KeyIdPrefix = "local:";
    public const int KeySize = 32;

    // Pinned so the GC never leaves a stray copy of the key behind when it compacts the heap.
    private readonly byte[] _key = GC.AllocateArray<byte>(KeySize, pinned: true);

    public LocalKeyWrapper(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException("The local key must be 32 bytes (AES-256).", nameof(key));
        }

        key.CopyTo(_key);
        KeyId = ComputeKeyId(key);
    }

    /// <summary><c>local:</c> + the first 8 hex digits of SHA-256 of the key: names it without revealing it.</summary>
    public string KeyId { get; }

    /// <summary>
    /// Reads a base64 key; <paramref name="settingName"/> names the setting in the error (never the value).
    /// </summary>
    public static LocalKeyWrapper FromBase64(string base64, string settingName)
    {
        var buffer = new byte[KeySize + 3];
        try
        {
            if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written) || written != KeySize)
            {
                throw new InvalidOperationException($"{settingName} must be the base64 encoding of 32 random bytes.");
            }

            return new LocalKeyWrapper(buffer.AsSpan(0, KeySize));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    public static string ComputeKeyId(ReadOnlySpan<byte> key)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(key, hash);
        return KeyIdPrefix + Convert.ToHexStringLower(hash[..4]);
    }

    public Task<WrappedKey> WrapKeyAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken)
    {
        try
        {
            using var aes = CreateAes();
            return Task.FromResult(new WrappedKey(KeyId, aes.EncryptKeyWrapPadded(dataKey.Span)));
        }
        catch (CryptographicException)
        {
            throw AwsErrors.EncryptionFailure();
        }
    }

    public Task<byte[]> UnwrapKeyAsync(string keyId, ReadOnlyMemory<byte> wrappedKey, CancellationToken cancellationToken)
    {
        if (!string.Equals(keyId, KeyId, StringComparison.Ordinal))
        {
            throw AwsErrors.DecryptionFailure();
        }

        try
        {
            using var aes = CreateAes();
            // RFC 5649's integrity check (the alternative IV and the padding) fails as a CryptographicException.
            return Task.FromResult(aes.DecryptKeyWrapPadded(wrappedKey.Span));
        }
        catch (CryptographicException)
        {
            throw AwsErrors.DecryptionFailure();
        }
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_key);

    // One Aes per call: an Aes instance is not safe to share between threads, and making one
    // costs far less than the Key Vault call it stands in for.
    private Aes CreateAes()
    {
        var aes = Aes.Create();
        aes.SetKey(_key);
        return aes;
    }
}
