using System.Security.Cryptography;
using Azure.Core;
using Azure.Core.Pipeline;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Errors;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Azure.KeyVault;

/// <summary>
/// A Key Vault key as a key-encryption key: <c>POST {key}/wrapkey</c> and
/// <c>POST {kid}/unwrapkey</c> with RSA-OAEP-256 (Key Vault REST reference, "Wrap Key" and
/// "Unwrap Key", api-version 7.4). The versioned <c>kid</c> Key Vault answers with is what gets
/// stored, so rows wrapped before a key rotation keep unwrapping with their own version.
/// </summary>
/// <remarks>
/// <para>A thin REST client on Azure.Core's <c>HttpPipeline</c> rather than the official
/// <c>Azure.Security.KeyVault.Keys</c> client, because the project's package feed does not serve
/// that package (Table Storage, which the feed serves, goes through <c>Azure.Data.Tables</c>).
/// <see cref="KeyVaultKeyId"/> holds Key Vault's URL grammar; Core sees only
/// <see cref="KeyReference"/>s.</para>
/// </remarks>
/// <remarks>
/// Every failure — throttling that outlasts the retries, 5xx, network errors, timeouts, 401/403
/// (no permission, disabled or expired key), 404 — is <c>EncryptionFailure</c> on wrap and
/// <c>DecryptionFailure</c> on unwrap. Those are the only KMS-related errors botocore's model
/// lists for the Secrets Manager operations that seal and open values, and AWS's messages for
/// them say only that the KMS key could not be used; the cause goes to the log.
/// </remarks>
public sealed class KeyVaultKeyWrapper : IKeyWrapper
{
    /// <summary>RSA-OAEP with SHA-256 (Key Vault's <c>JsonWebKeyEncryptionAlgorithm</c>).</summary>
    public const string Algorithm = "RSA-OAEP-256";

    private readonly KeyVaultKeyId _key;
    private readonly HttpPipeline _pipeline;
    private readonly KeyVaultOptions _options;
    private readonly ILogger _logger;
    private string _currentKeyId;

    internal KeyVaultKeyWrapper(KeyVaultKeyId key, HttpPipeline pipeline, KeyVaultOptions options, ILogger logger)
    {
        _key = key;
        _pipeline = pipeline;
        _options = options;
        _logger = logger;
        _currentKeyId = key.ToString();
    }

    /// <summary>The versioned kid of the last wrap; the configured key URI before the first one.</summary>
    public string KeyId => Volatile.Read(ref _currentKeyId);

    public async Task<WrappedKey> WrapKeyAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken)
    {
        if (await SendAsync("wrapkey", _key, dataKey, cancellationToken) is not { } result)
        {
            throw AwsErrors.EncryptionFailure();
        }

        var (kid, value) = result;

        if (!KeyVaultKeyId.TryParse(kid, out var parsed) || parsed.Version is null || !parsed.IsSameKey(_key))
        {
            KeyVaultLog.Malformed(_logger, "wrapkey", _key.ToString());
            throw AwsErrors.EncryptionFailure();
        }

        var versioned = parsed.ToString();
        Volatile.Write(ref _currentKeyId, versioned);
        return new WrappedKey(versioned, value);
    }

    public async Task<byte[]> UnwrapKeyAsync(string keyId, ReadOnlyMemory<byte> wrappedKey, CancellationToken cancellationToken)
    {
        // Only versions of this wrapper's own key: the stored id becomes the URL we call.
        if (!KeyVaultKeyId.TryParse(keyId, out var kid) || kid.Version is null || !kid.IsSameKey(_key))
        {
            throw AwsErrors.DecryptionFailure();
        }

        var result = await SendAsync("unwrapkey", kid, wrappedKey, cancellationToken);
        return result?.Value ?? throw AwsErrors.DecryptionFailure();
    }

    /// <summary>
    /// One key operation. Returns null on any failure (already logged); throws only when the
    /// caller cancelled.
    /// </summary>
    private async Task<(string Kid, byte[] Value)?> SendAsync(string operation, KeyVaultKeyId key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.OperationTimeout);
        var body = KeyOperationJson.WriteRequest(Algorithm, value.Span);
        using var message = _pipeline.CreateMessage();
        try
        {
            var request = message.Request;
            request.Method = RequestMethod.Post;
            request.Uri.Reset(new Uri($"{key}/{operation}?api-version={Uri.EscapeDataString(_options.ApiVersion)}"));
            request.Headers.Add(HttpHeader.Common.JsonContentType);
            request.Content = RequestContent.Create(body);

            await _pipeline.SendAsync(message, timeout.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (e is OperationCanceledException)
            {
                KeyVaultLog.TimedOut(_logger, operation, key.ToString(), _options.OperationTimeout.TotalSeconds);
            }
            else
            {
                KeyVaultLog.Failed(_logger, operation, key.ToString(), e.GetType().Name);
            }

            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
        }

        var response = message.Response;
        var content = response.Content.ToMemory();
        try
        {
            if (response.Status != 200)
            {
                KeyVaultLog.Refused(_logger, operation, key.ToString(), response.Status, KeyOperationJson.ReadErrorCode(content.Span));
                return null;
            }

            if (!KeyOperationJson.TryReadResult(content.Span, out var kid, out var result))
            {
                KeyVaultLog.Malformed(_logger, operation, key.ToString());
                return null;
            }

            return (kid!, result!);
        }
        finally
        {
            // The buffered body of an unwrap holds the data key (base64url): zero Azure.Core's buffer.
            if (response.ContentStream is MemoryStream buffered && buffered.TryGetBuffer(out var segment))
            {
                CryptographicOperations.ZeroMemory(segment);
            }
        }
    }
}
