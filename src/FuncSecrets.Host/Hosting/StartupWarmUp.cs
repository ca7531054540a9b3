using System.Security.Cryptography;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Storage;
using FuncSecrets.Host.Protocol;
using FuncSecrets.Host.Protocol.Json;

namespace FuncSecrets.Host.Hosting;

/// <summary>
/// What the first signed call would otherwise do on its own time (issue 15, start-up), done in
/// the background once the app listens: the request path's singletons built, the wire's JSON
/// metadata made, OpenSSL's HMAC, SHA-256 and AES-GCM loaded, and the store opened (its tables
/// created and the first connection to storage made, by a point read of a name no secret can
/// have). Nothing here is needed: a step that fails is done again by the first call that needs it.
/// </summary>
internal static class StartupWarmUp
{
    // A space is not allowed in a secret name, so this row never exists: the read is a 404.
    private const string NoSuchSecret = "funcsecrets start-up warm-up";

    public static async Task RunAsync(IServiceProvider services)
    {
        services.GetRequiredService<Dispatcher>();
        foreach (var handler in OperationTable.HandlerTypes)
        {
            services.GetRequiredService(handler);
        }

        _ = ApiJsonContext.Wire.GetSecretValueRequest;
        _ = ApiJsonContext.Wire.GetSecretValueResponse;

        Span<byte> key = stackalloc byte[32];
        Span<byte> output = stackalloc byte[32];
        SHA256.HashData(key, output);
        HMACSHA256.HashData(key, output, output);
        using (var aes = new AesGcm(key, AesGcm.TagByteSizes.MaxSize))
        {
            Span<byte> tag = stackalloc byte[AesGcm.TagByteSizes.MaxSize];
            aes.Encrypt(stackalloc byte[AesGcm.NonceByteSizes.MaxSize], output, output, tag);
        }

        try
        {
            await services.GetRequiredService<ISecretStore>().GetAsync(NoSuchSecret, CancellationToken.None);
        }
        catch (AwsException)
        {
            // Storage is not there yet; the first call opens the store when it is.
        }
    }
}
