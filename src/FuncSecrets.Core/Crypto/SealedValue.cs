namespace FuncSecrets.Core.Crypto;

/// <summary>
/// One envelope-encrypted secret value as it is stored: the data key wrapped by a key-encryption
/// key (with that key's versioned id), the AES-GCM nonce, and ciphertext followed by the 16-byte tag.
/// </summary>
public sealed record SealedValue(string KeyId, byte[] WrappedKey, byte[] Nonce, byte[] Ciphertext);
