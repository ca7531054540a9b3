using System.Globalization;
using System.Security.Cryptography;
using FuncSecrets.Core;
using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Operations;
using FuncSecrets.Core.Storage;
using FuncSecrets.Host.Protocol;
using FuncSecrets.Host.Protocol.Auth;
using FuncSecrets.Host.Protocol.Json;

namespace FuncSecrets.Host.Hosting;

/// <summary>
/// What the first signed call would otherwise do on its own time (issue 15, start-up), done in
/// the background once the app listens: the request path's singletons built; a synthetic signed
/// GetSecretValue taken through the HTTP adapter and SigV4 verification (with a throwaway key
/// pair, so it can never authenticate anything), the wire JSON decoded and an answer encoded; a
/// data key wrapped and unwrapped by the configured default key (the local wrap, or Key Vault's
/// connection and token), AES-GCM run; and the store opened (its tables created and the first
/// connection to storage made, by a point read of a name no secret can have). None of it reaches
/// the audit trail, the data-key cache or a log. Nothing here is needed: a step that fails is done
/// again by the first call that needs it.
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

        var body = """{"SecretId":"funcsecrets-warm-up"}"""u8.ToArray();
        await Step(() => VerifySignatureAsync(services, body));
        await Step(() => EncodeAnswerAsync(body));
        await Step(() => WrapDataKeyAsync(services));
        await Step(() => services.GetRequiredService<ISecretStore>().GetAsync(NoSuchSecret, CancellationToken.None));
    }

    // A step that fails (storage or Key Vault not there yet, as AwsException or the SDK's own
    // exception) leaves its work to the first call, which reports its own failure: the warm-up
    // runs unobserved in the background, so nothing may escape it.
    private static async Task Step(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
        }
    }

    /// <summary>
    /// A GetSecretValue request as an SDK signs it, with a wrong signature from a key pair made up
    /// here, through the real adapter and verifier: canonical request, signing-key derivation and
    /// HMAC run; the answer is the InvalidSignatureException that is thrown away.
    /// </summary>
    private static async Task VerifySignatureAsync(IServiceProvider services, byte[] body)
    {
        var options = services.GetRequiredService<ServiceOptions>();
        var keyId = "AKIAWARMUP" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5));
        var keys = new AccessKeyStore(
            new AuthOptions { AccessKeys = [new AccessKeyOptions { AccessKeyId = keyId, SecretAccessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)) }] },
            options);
        var authenticator = new SigV4Authenticator(new SigV4Verifier(keys, options.Region, TimeProvider.System), new ForwardedHostOptions());
        var now = DateTimeOffset.UtcNow;
        var context = new DefaultHttpContext();
        var request = context.Request;
        request.Method = HttpMethods.Post;
        request.Scheme = "http";
        request.Host = new HostString("127.0.0.1");
        request.Path = "/";
        request.ContentType = "application/x-amz-json-1.1";
        request.Headers["X-Amz-Target"] = OperationTable.TargetPrefix + "GetSecretValue";
        request.Headers["X-Amz-Date"] = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        request.Headers.Authorization =
            $"AWS4-HMAC-SHA256 Credential={keyId}/{now:yyyyMMdd}/{options.Region}/{SigV4Verifier.DefaultService}/aws4_request, "
            + $"SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature={new string('0', 64)}";
        await authenticator.AuthenticateAsync(context, body, CancellationToken.None);
    }

    /// <summary>The wire JSON both ways: the request decoded by the front door, an answer encoded as the pipeline writes it.</summary>
    private static Task EncodeAnswerAsync(byte[] body)
    {
        var operation = OperationTable.Operations["GetSecretValue"];
        JsonFrontDoor.Decode(body, operation);
        var answer = new GetSecretValueResponse
        {
            ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:funcsecrets-warm-up-AbCdEf",
            Name = "funcsecrets-warm-up",
            VersionId = Guid.Empty.ToString(),
            SecretString = "warm-up",
            VersionStages = ["AWSCURRENT"],
            CreatedDate = DateTimeOffset.UnixEpoch,
        };
        var context = new DefaultHttpContext();
        context.Response.Body = Stream.Null;
        return PooledJsonAnswer.WriteAsync(context.Response, answer, operation.ResponseInfo, CancellationToken.None);
    }

    /// <summary>
    /// A fresh data key wrapped and unwrapped by the default key, past the data-key cache (its
    /// counters stay the service's own), and AES-GCM run with it.
    /// </summary>
    private static async Task WrapDataKeyAsync(IServiceProvider services)
    {
        var wrapper = services.GetRequiredService<SecretCipher>().Keys.DefaultWrapper;
        var dataKey = GC.AllocateArray<byte>(SecretCipher.DataKeySize, pinned: true);
        byte[]? unwrapped = null;
        try
        {
            RandomNumberGenerator.Fill(dataKey);
            var wrapped = await wrapper.WrapKeyAsync(dataKey, CancellationToken.None);
            unwrapped = await wrapper.UnwrapKeyAsync(wrapped.KeyId, wrapped.Value, CancellationToken.None);
            using var gcm = new AesGcm(unwrapped, SecretCipher.TagSize);
            Span<byte> text = stackalloc byte[32];
            Span<byte> tag = stackalloc byte[SecretCipher.TagSize];
            gcm.Encrypt(stackalloc byte[SecretCipher.NonceSize], text, text, tag);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
            if (unwrapped is not null)
            {
                CryptographicOperations.ZeroMemory(unwrapped);
            }
        }
    }
}
