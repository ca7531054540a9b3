using FuncSecrets.Core.Crypto;

namespace FuncSecrets.Host.Hosting;

/// <summary>
/// Envelope encryption from <c>FuncSecrets:Encryption</c>: the key-encryption keys (local RFC 5649
/// key, Key Vault keys), the cache of unwrapped data keys, and the cipher over them.
/// </summary>
public static class EncryptionSetup
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(EncryptionOptions.SectionName).Get<EncryptionOptions>() ?? new EncryptionOptions();
        services.AddSingleton(options);
        services.AddSingleton(sp => new KeyWrapperRegistry(options));
        services.AddSingleton(sp => new DataKeyCache(options.CacheMaxEntries, TimeSpan.FromSeconds(options.CacheSeconds), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ISecretCipher>(sp => new SecretCipher(
            sp.GetRequiredService<KeyWrapperRegistry>(),
            sp.GetRequiredService<DataKeyCache>(),
            logger: sp.GetRequiredService<ILogger<SecretCipher>>()));
    }
}
