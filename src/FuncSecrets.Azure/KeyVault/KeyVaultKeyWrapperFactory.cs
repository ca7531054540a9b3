using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Azure.Core;
using Azure.Core.Pipeline;
using FuncSecrets.Core.Crypto;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FuncSecrets.Azure.KeyVault;

/// <summary>
/// Makes <see cref="KeyVaultKeyWrapper"/>s that share one <see cref="HttpPipeline"/> per token
/// scope: Azure.Core's retry (exponential back-off, 429/503 <c>Retry-After</c> honoured, bounded
/// by <see cref="KeyVaultOptions.MaxRetries"/>), a per-try network timeout, and a bearer token
/// from the <see cref="TokenCredential"/> (managed identity in Azure via DefaultAzureCredential).
/// </summary>
/// <remarks>
/// The official client uses a challenge-based policy that learns the scope from the vault's 401;
/// the scope of a vault is fixed per cloud, so a plain bearer policy with that scope is equivalent
/// and sends the token on the first request.
/// </remarks>
public sealed class KeyVaultKeyWrapperFactory : IKeyWrapperFactory
{
    private readonly TokenCredential _credential;
    private readonly KeyVaultOptions _options;
    private readonly HttpPipelineTransport? _transport;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ConcurrentDictionary<string, HttpPipeline> _pipelines = new(StringComparer.Ordinal);

    /// <param name="credential">Where bearer tokens come from.</param>
    /// <param name="options">Timeouts, retries, API version, scope.</param>
    /// <param name="transport">Replaces the default HttpClient transport (tests pin a self-signed certificate this way).</param>
    /// <param name="loggerFactory">Logs failure causes (never key material).</param>
    public KeyVaultKeyWrapperFactory(
        TokenCredential credential,
        KeyVaultOptions? options = null,
        HttpPipelineTransport? transport = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(credential);
        _credential = credential;
        _options = options ?? new KeyVaultOptions();
        _transport = transport;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    public bool TryParseKey(string? value, [NotNullWhen(true)] out KeyReference? key)
    {
        key = KeyVaultKeyId.TryParse(value, out var parsed) ? parsed.ToReference() : null;
        return key is not null;
    }

    public bool TryParseContainer(string? value, [NotNullWhen(true)] out string? container) =>
        KeyVaultKeyId.TryParseVault(value, out container);

    public IKeyWrapper Create(KeyReference key) => Create(KeyVaultKeyId.FromReference(key));

    internal IKeyWrapper Create(KeyVaultKeyId key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var scope = _options.Scope ?? ScopeFor(key);
        var pipeline = _pipelines.GetOrAdd(scope, BuildPipeline);
        return new KeyVaultKeyWrapper(key, pipeline, _options, _loggerFactory.CreateLogger<KeyVaultKeyWrapper>());
    }

    /// <summary>
    /// The token scope of the cloud a vault lives in: its host without the vault name, e.g.
    /// <c>myvault.vault.azure.net</c> → <c>https://vault.azure.net/.default</c>,
    /// <c>myhsm.managedhsm.azure.net</c> → <c>https://managedhsm.azure.net/.default</c>.
    /// </summary>
    public static string ScopeFor(KeyVaultKeyId key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var host = new Uri(key.Vault).Host;
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return $"https://{(dot < 0 ? host : host[(dot + 1)..])}/.default";
    }

    private HttpPipeline BuildPipeline(string scope)
    {
        var clientOptions = new KeyVaultClientOptions();
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = _options.MaxRetries;
        clientOptions.Retry.Delay = _options.RetryDelay;
        clientOptions.Retry.MaxDelay = _options.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = _options.NetworkTimeout;
        clientOptions.Diagnostics.ApplicationId = "FuncSecrets";
        // Request and response bodies carry key material: never let diagnostics log them.
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        if (_transport is not null)
        {
            clientOptions.Transport = _transport;
        }

        return HttpPipelineBuilder.Build(clientOptions, new BearerTokenAuthenticationPolicy(_credential, scope));
    }

    private sealed class KeyVaultClientOptions : ClientOptions
    {
    }
}
