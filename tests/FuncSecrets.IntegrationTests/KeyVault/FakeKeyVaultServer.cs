using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.IntegrationTests.KeyVault;

/// <summary>How the fake vault answers.</summary>
public enum FakeKeyVaultMode
{
    Normal,

    /// <summary>500 Internal Server Error.</summary>
    ServerError,

    /// <summary>Waits <see cref="FakeKeyVaultServer.SlowDelay"/> before answering.</summary>
    Slow,

    /// <summary>Drops the connection without an answer.</summary>
    Down,

    /// <summary>403, as Key Vault answers for a disabled key.</summary>
    KeyDisabled,
}

/// <summary>
/// A Key Vault that speaks just <c>wrapkey</c>/<c>unwrapkey</c> (RSA-OAEP-256, base64url, a
/// versioned <c>kid</c>) over HTTPS on 127.0.0.1:0, with real RSA-2048 keys and a self-signed
/// certificate the client pins. It checks the bearer token and api-version like the real one and
/// can be switched to throttle (429 + Retry-After), fail, hang or drop connections.
/// </summary>
public sealed class FakeKeyVaultServer : IAsyncDisposable
{
    public const string Token = "fake-key-vault-token";
    public const string KeyName = "test-key";

    // RSA-2048 generation takes up to a second on a slow machine: one certificate and a few key
    // versions serve every server in the run (each test still gets its own server and versions).
    private static readonly Lazy<X509Certificate2> SharedCertificate = new(CreateCertificate);
    private static readonly List<RSA> SharedKeys = [];

    private readonly ConcurrentDictionary<string, RSA> _versions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<Request> _requests = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly X509Certificate2 _certificate;
    private WebApplication? _app;
    private int _throttleRemaining;
    private string _retryAfter = "0";

    private FakeKeyVaultServer(X509Certificate2 certificate)
    {
        _certificate = certificate;
        CurrentVersion = NewVersion();
    }

    /// <summary>One request as the vault saw it; <c>At</c> is when it arrived (a monotonic clock).</summary>
    public sealed record Request(string Path, string? ApiVersion, string? Authorization, string? Algorithm, int Status, TimeSpan At);

    /// <summary><c>https://127.0.0.1:{port}</c>.</summary>
    public string Vault { get; private set; } = string.Empty;

    /// <summary>The unversioned key URI to configure.</summary>
    public string KeyUri => $"{Vault}/keys/{KeyName}";

    public string CurrentVersion { get; private set; }

    public FakeKeyVaultMode Mode { get; set; }

    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<Request> Requests => [.. _requests];

    private static TimeSpan Now => Stopwatch.GetElapsedTime(0);

    public static async Task<FakeKeyVaultServer> StartAsync()
    {
        var server = new FakeKeyVaultServer(SharedCertificate.Value);
        await server.StartCoreAsync();
        await server.WarmUpAsync();
        return server;
    }

    /// <summary>A transport that trusts exactly this server's certificate.</summary>
    public HttpPipelineTransport CreateTransport()
    {
        var thumbprint = _certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint;
        return new HttpClientTransport(handler);
    }

    /// <summary>Adds a new key version and makes it current (Key Vault's key rotation).</summary>
    public string RotateKey() => CurrentVersion = NewVersion();

    /// <summary>The next <paramref name="count"/> requests get 429 with <c>Retry-After: {retryAfter}</c>.</summary>
    public void Throttle(int count, string retryAfter)
    {
        _retryAfter = retryAfter;
        Volatile.Write(ref _throttleRemaining, count);
    }

    /// <summary>Stops listening: later connections are refused.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        using var ephemeral = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pfx), null);
    }

    /// <summary>
    /// One wrap before any test runs, so JIT and TLS start-up never count against a test's
    /// timeouts; then forgets it.
    /// </summary>
    private async Task WarmUpAsync()
    {
        var thumbprint = _certificate.GetCertHashString(HashAlgorithmName.SHA256);
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint;
        using var client = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{KeyUri}/wrapkey?api-version=7.4")
        {
            Content = JsonContent.Create(new { alg = "RSA-OAEP-256", value = Base64Url.EncodeToString(new byte[32]) }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        _requests.Clear();
    }

    private string NewVersion()
    {
        var version = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        lock (SharedKeys)
        {
            if (SharedKeys.Count <= _versions.Count)
            {
                SharedKeys.Add(RSA.Create(2048));
            }

            _versions[version] = SharedKeys[_versions.Count];
        }

        return version;
    }

    private async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));
        _app = builder.Build();
        _app.MapPost("/keys/{name}/{operation}", (HttpContext context, string name, string operation) => HandleAsync(context, name, null, operation));
        _app.MapPost("/keys/{name}/{version}/{operation}", (HttpContext context, string name, string version, string operation) => HandleAsync(context, name, version, operation));
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Vault = $"https://127.0.0.1:{new Uri(address).Port}";
    }

    private async Task HandleAsync(HttpContext context, string name, string? version, string operation)
    {
        var arrived = Now;
        var status = await AnswerAsync(context, name, version, operation);
        _requests.Enqueue(new Request(
            context.Request.Path, context.Request.Query["api-version"], context.Request.Headers.Authorization, context.Items["alg"] as string, status, arrived));
    }

    private async Task<int> AnswerAsync(HttpContext context, string name, string? version, string operation)
    {
        if (Mode == FakeKeyVaultMode.Down)
        {
            context.Abort();
            return 0;
        }

        if (Interlocked.Decrement(ref _throttleRemaining) >= 0)
        {
            context.Response.Headers.RetryAfter = _retryAfter;
            return await ErrorAsync(context, 429, "Throttled", "Request was not processed because too many requests were received.");
        }

        if (Mode == FakeKeyVaultMode.Slow)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            await Task.Delay(SlowDelay, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (Mode == FakeKeyVaultMode.ServerError)
        {
            return await ErrorAsync(context, 500, "InternalServerError", "Internal server error.");
        }

        if (context.Request.Headers.Authorization != $"Bearer {Token}")
        {
            context.Response.Headers.WWWAuthenticate = "Bearer authorization=\"https://login.microsoftonline.com/tenant\", resource=\"https://vault.azure.net\"";
            return await ErrorAsync(context, 401, "Unauthorized", "AKV10000: Request is missing a Bearer or PoP token.");
        }

        if (string.IsNullOrEmpty(context.Request.Query["api-version"]))
        {
            return await ErrorAsync(context, 400, "BadParameter", "The request URI contains an invalid version.");
        }

        if (name != KeyName || (version is not null && !_versions.ContainsKey(version)))
        {
            return await ErrorAsync(context, 404, "KeyNotFound", "A key with (name/id) was not found in this key vault.");
        }

        if (Mode == FakeKeyVaultMode.KeyDisabled)
        {
            return await ErrorAsync(context, 403, "Forbidden", "Operation is not allowed on a disabled key.");
        }

        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        var algorithm = body.RootElement.GetProperty("alg").GetString();
        context.Items["alg"] = algorithm;
        if (algorithm != "RSA-OAEP-256")
        {
            return await ErrorAsync(context, 400, "BadParameter", "Invalid algorithm.");
        }

        var value = Base64Url.DecodeFromChars(body.RootElement.GetProperty("value").GetString());
        var usedVersion = version ?? CurrentVersion;
        var rsa = _versions[usedVersion];
        byte[] result;
        switch (operation.ToLowerInvariant())
        {
            case "wrapkey":
                result = rsa.Encrypt(value, RSAEncryptionPadding.OaepSHA256);
                break;
            case "unwrapkey":
                try
                {
                    result = rsa.Decrypt(value, RSAEncryptionPadding.OaepSHA256);
                }
                catch (CryptographicException)
                {
                    return await ErrorAsync(context, 400, "BadParameter", "The parameter is incorrect.");
                }

                break;
            default:
                return await ErrorAsync(context, 400, "BadParameter", "Unknown operation.");
        }

        await context.Response.WriteAsJsonAsync(new { kid = $"{KeyUri}/{usedVersion}", value = Base64Url.EncodeToString(result) });
        return 200;
    }

    private static async Task<int> ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new { error = new { code, message } });
        return status;
    }
}
