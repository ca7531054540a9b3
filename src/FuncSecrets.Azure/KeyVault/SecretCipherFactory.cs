using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using FuncSecrets.Core.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FuncSecrets.Azure.KeyVault;

/// <summary>
/// Builds the whole encryption layer from configuration: key wrappers (local and Key Vault), the
/// data-key cache and the <see cref="SecretCipher"/>. The one place the Host needs.
/// </summary>
public static class SecretCipherFactory
{
    /// <param name="encryption">The <c>FuncSecrets:Encryption</c> section.</param>
    /// <param name="keyVault">The <c>FuncSecrets:Encryption:KeyVault</c> section; defaults when null.</param>
    /// <param name="credential">Key Vault tokens; a <see cref="DefaultAzureCredential"/> (managed identity in Azure) when null.</param>
    /// <param name="timeProvider">The cache's clock.</param>
    /// <param name="loggerFactory">Failure causes (key ids only).</param>
    /// <param name="transport">Replaces the Key Vault HTTP transport (tests).</param>
    /// <exception cref="InvalidOperationException">The configuration is incomplete or malformed.</exception>
    public static SecretCipher Create(
        EncryptionOptions encryption,
        KeyVaultOptions? keyVault = null,
        TokenCredential? credential = null,
        TimeProvider? timeProvider = null,
        ILoggerFactory? loggerFactory = null,
        HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(encryption);
        loggerFactory ??= NullLoggerFactory.Instance;

        // DefaultAzureCredential does no I/O until the first token is needed, so a local-only
        // configuration never touches Azure.
        var factory = new KeyVaultKeyWrapperFactory(credential ?? new DefaultAzureCredential(), keyVault, transport, loggerFactory);
        var registry = new KeyWrapperRegistry(encryption, factory);
        var cache = new DataKeyCache(encryption.CacheMaxEntries, TimeSpan.FromSeconds(encryption.CacheSeconds), timeProvider);
        return new SecretCipher(registry, cache, SystemCryptoRandom.Instance, loggerFactory.CreateLogger<SecretCipher>());
    }
}
