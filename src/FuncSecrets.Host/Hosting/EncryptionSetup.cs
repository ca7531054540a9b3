using FuncSecrets.Azure.KeyVault;
using FuncSecrets.Core.Crypto;

namespace FuncSecrets.Host.Hosting;

/// <summary>
/// Envelope encryption from <c>FuncSecrets:Encryption</c>: the key-encryption keys (the local
/// RFC 5649 key, Key Vault keys reached with the app's managed identity), the cache of unwrapped
/// data keys, and the cipher over them.
/// </summary>
public static class EncryptionSetup
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var encryption = configuration.GetSection(EncryptionOptions.SectionName).Get<EncryptionOptions>() ?? new EncryptionOptions();
        var keyVault = configuration.GetSection(KeyVaultOptions.SectionName).Get<KeyVaultOptions>() ?? new KeyVaultOptions();
        services.AddSingleton(encryption);
        services.AddSingleton(sp => SecretCipherFactory.Create(
            encryption,
            keyVault,
            credential: null,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<ISecretCipher>(sp => sp.GetRequiredService<SecretCipher>());
        services.AddSingleton(sp => sp.GetRequiredService<SecretCipher>().Cache);
    }
}
