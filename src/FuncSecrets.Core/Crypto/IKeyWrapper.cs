namespace FuncSecrets.Core.Crypto;

/// <summary>
/// A key-encryption key that wraps and unwraps data keys. Shaped like Azure.Core's
/// <c>IKeyEncryptionKey</c> (a key id plus wrap/unwrap), so an official Key Vault client fits
/// behind it with a one-file adapter.
/// </summary>
public interface IKeyWrapper
{
    /// <summary>
    /// The id of the key that <see cref="WrapKeyAsync"/> uses now, with its version where the
    /// provider has versions. It is stored beside every wrapped key.
    /// </summary>
    string KeyId { get; }

    /// <summary>Wraps a data key with the current key; returns the id of the key actually used.</summary>
    Task<WrappedKey> WrapKeyAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken);

    /// <summary>
    /// Unwraps a data key wrapped by the key <paramref name="keyId"/> (an older key version keeps
    /// working). Any failure throws <see cref="Errors.AwsException"/> with <c>DecryptionFailure</c>.
    /// </summary>
    Task<byte[]> UnwrapKeyAsync(string keyId, ReadOnlyMemory<byte> wrappedKey, CancellationToken cancellationToken);
}

/// <summary>A wrapped data key and the versioned id of the key that wrapped it.</summary>
public sealed record WrappedKey(string KeyId, byte[] Value);
