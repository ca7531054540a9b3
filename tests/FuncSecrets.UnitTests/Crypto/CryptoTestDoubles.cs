using System.Diagnostics.CodeAnalysis;
using FuncSecrets.Azure.KeyVault;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.UnitTests.Crypto;

/// <summary>
/// A stand-in for a Key Vault key: wraps with a local AES key but answers with a Key Vault key
/// id, counts its calls and can be made to fail.
/// </summary>
internal sealed class CountingKeyWrapper : IKeyWrapper
{
    public const string DefaultKeyId = "https://kv.vault.azure.net/keys/k/0123456789abcdef0123456789abcdef";

    private readonly LocalKeyWrapper _inner;
    private int _wrapCalls;
    private int _unwrapCalls;

    public CountingKeyWrapper(string keyId = DefaultKeyId, byte fill = 0x42)
    {
        KeyId = keyId;
        _inner = new LocalKeyWrapper(Enumerable.Repeat(fill, 32).ToArray());
    }

    public string KeyId { get; }

    public int WrapCalls => _wrapCalls;

    public int UnwrapCalls => _unwrapCalls;

    /// <summary>When set, every call throws it.</summary>
    public Exception? Failure { get; set; }

    /// <summary>The memory the last wrap was given (to check it is zeroed afterwards).</summary>
    public ReadOnlyMemory<byte> LastDataKey { get; private set; }

    public async Task<WrappedKey> WrapKeyAsync(ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _wrapCalls);
        LastDataKey = dataKey;
        if (Failure is not null)
        {
            throw Failure;
        }

        var wrapped = await _inner.WrapKeyAsync(dataKey, cancellationToken);
        return new WrappedKey(KeyId, wrapped.Value);
    }

    public Task<byte[]> UnwrapKeyAsync(string keyId, ReadOnlyMemory<byte> wrappedKey, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _unwrapCalls);
        if (Failure is not null)
        {
            throw Failure;
        }

        if (keyId != KeyId)
        {
            throw AwsErrors.DecryptionFailure();
        }

        return _inner.UnwrapKeyAsync(_inner.KeyId, wrappedKey, cancellationToken);
    }
}

/// <summary>Answers every Key Vault key with the one wrapper it was given, and records the keys asked for.</summary>
internal sealed class SingleWrapperFactory(IKeyWrapper wrapper) : IKeyWrapperFactory
{
    public List<KeyReference> Created { get; } = [];

    // The real adapter's parsing: Core's allow-listing is tested against Key Vault's grammar.
    public bool TryParseKey(string? value, [NotNullWhen(true)] out KeyReference? key)
    {
        key = KeyVaultKeyId.TryParse(value, out var parsed) ? parsed.ToReference() : null;
        return key is not null;
    }

    public bool TryParseContainer(string? value, [NotNullWhen(true)] out string? container) =>
        KeyVaultKeyId.TryParseVault(value, out container);

    public IKeyWrapper Create(KeyReference key)
    {
        Created.Add(key);
        return wrapper;
    }
}

/// <summary>Hands out fixed bytes in order, so data keys and nonces are known.</summary>
internal sealed class FixedRandom(params byte[][] chunks) : ICryptoRandom
{
    private int _next;

    public void Fill(Span<byte> buffer)
    {
        var chunk = chunks[_next++];
        Assert.Equal(buffer.Length, chunk.Length);
        chunk.CopyTo(buffer);
    }
}

internal static class CryptoAssert
{
    public static async Task DecryptionFailureAsync(Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<AwsException>(action);
        Assert.Equal(AwsErrorCodes.DecryptionFailure, error.Code);
        Assert.Equal(AwsErrors.DecryptionFailure().Message, error.Message);
        Assert.Null(error.InnerException);
    }

    public static async Task EncryptionFailureAsync(Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<AwsException>(action);
        Assert.Equal(AwsErrorCodes.EncryptionFailure, error.Code);
        Assert.Null(error.InnerException);
    }
}
