namespace FuncSecrets.Core.Crypto;

/// <summary>
/// Makes the wrapper for one Key Vault key. Core knows the shape of a Key Vault key URI (to check
/// it against the allowed vaults) but not how to call Key Vault: FuncSecrets.Azure implements this.
/// </summary>
public interface IKeyWrapperFactory
{
    /// <summary>
    /// A wrapper for <paramref name="key"/>: it wraps with that key (its current version when
    /// <see cref="KeyVaultKeyId.Version"/> is null) and unwraps any version of it.
    /// </summary>
    IKeyWrapper Create(KeyVaultKeyId key);
}
