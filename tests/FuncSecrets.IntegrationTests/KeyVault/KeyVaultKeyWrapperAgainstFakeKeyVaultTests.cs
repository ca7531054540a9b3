using System.Diagnostics;
using System.Text;
using Azure.Core;
using FuncSecrets.Azure.KeyVault;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.IntegrationTests.KeyVault;

/// <summary>
/// The Key Vault wrapper and the cipher over it, against a fake vault on 127.0.0.1 (HTTPS, real
/// RSA keys). Each test gets its own vault, so modes and stops never leak between tests.
/// </summary>
public sealed class KeyVaultKeyWrapperAgainstFakeKeyVaultTests : IAsyncLifetime
{
    private const string Arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-Xy12Ab";
    private const string VersionId = "3f1c0b4e-2d6a-4a8e-9c1d-0123456789ab";

    private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("{\"password\":\"correct horse battery staple\"}");
    private static readonly byte[] DataKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private FakeKeyVaultServer _vault = null!;

    public async Task InitializeAsync() => _vault = await FakeKeyVaultServer.StartAsync();

    public async Task DisposeAsync() => await _vault.DisposeAsync();

    [Fact]
    public async Task WrapKeyAsync_ThenUnwrapKeyAsync_RoundTripsUnderTheVersionedKid()
    {
        var wrapper = CreateWrapper();
        Assert.Equal(_vault.KeyUri, wrapper.KeyId);

        var wrapped = await wrapper.WrapKeyAsync(DataKey, default);

        Assert.Equal($"{_vault.KeyUri}/{_vault.CurrentVersion}", wrapped.KeyId);
        Assert.Equal(wrapped.KeyId, wrapper.KeyId);
        Assert.Equal(256, wrapped.Value.Length); // RSA-2048 ciphertext
        Assert.Equal(DataKey, await wrapper.UnwrapKeyAsync(wrapped.KeyId, wrapped.Value, default));
        Assert.Collection(
            _vault.Requests.OrderBy(r => r.At),
            wrap => AssertWire(wrap, $"/keys/{FakeKeyVaultServer.KeyName}/wrapkey"),
            unwrap => AssertWire(unwrap, $"/keys/{FakeKeyVaultServer.KeyName}/{_vault.CurrentVersion}/unwrapkey"));
    }

    [Fact]
    public async Task SecretCipher_FromSettings_SealsAndOpensThroughTheVault()
    {
        var sealer = CreateCipher();
        var sealedValue = await sealer.SealAsync(null, Plaintext, Arn, VersionId, default);

        var reader = CreateCipher();
        Assert.Equal(Plaintext, await reader.OpenAsync(sealedValue, Arn, VersionId, default));
        Assert.Equal($"{_vault.KeyUri}/{_vault.CurrentVersion}", sealedValue.KeyId);
        Assert.Equal(1, reader.Cache.UnwrapCalls);
        await AssertFailsAsync(AwsErrorCodes.DecryptionFailure, () => reader.OpenAsync(sealedValue, Arn, "other-version", default));
    }

    [Fact]
    public async Task OpenAsync_AfterKeyRotation_OldAndNewVersionsBothOpen()
    {
        var cipher = CreateCipher();
        var before = await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);
        var oldVersion = _vault.CurrentVersion;

        var newVersion = _vault.RotateKey();
        var after = await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);

        Assert.EndsWith(oldVersion, before.KeyId, StringComparison.Ordinal);
        Assert.EndsWith(newVersion, after.KeyId, StringComparison.Ordinal);
        var cold = CreateCipher();
        Assert.Equal(Plaintext, await cold.OpenAsync(before, Arn, VersionId, default));
        Assert.Equal(Plaintext, await cold.OpenAsync(after, Arn, VersionId, default));
    }

    [Fact]
    public async Task WrapKeyAsync_ThrottledWithRetryAfter_WaitsThatLongThenSucceeds()
    {
        var wrapper = CreateWrapper();
        _vault.Throttle(1, "1");

        var wrapped = await wrapper.WrapKeyAsync(DataKey, default);

        Assert.Equal(DataKey, await wrapper.UnwrapKeyAsync(wrapped.KeyId, wrapped.Value, default));
        var requests = _vault.Requests.OrderBy(r => r.At).ToList();
        Assert.Equal([429, 200, 200], requests.Select(r => r.Status));
        // Retry-After: 1 is honoured although the configured back-off cap is 50 ms.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), $"retried after {requests[1].At - requests[0].At}");
    }

    [Fact]
    public async Task WrapKeyAsync_ThrottledBeyondRetries_ThrowsEncryptionFailureAfterThreeTries()
    {
        var wrapper = CreateWrapper();
        _vault.Throttle(100, "0");

        await AssertFailsAsync(AwsErrorCodes.EncryptionFailure, () => wrapper.WrapKeyAsync(DataKey, default));

        Assert.Equal(3, _vault.Requests.Count);
        Assert.All(_vault.Requests, r => Assert.Equal(429, r.Status));
    }

    [Fact]
    public async Task WrapKeyAsync_RetryAfterLongerThanOperationTimeout_FailsAtTheTimeout()
    {
        var wrapper = CreateWrapper(o => o.OperationTimeout = TimeSpan.FromSeconds(1));
        _vault.Throttle(100, "3600");

        var elapsed = await AssertFailsAsync(AwsErrorCodes.EncryptionFailure, () => wrapper.WrapKeyAsync(DataKey, default));

        Assert.InRange(elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        Assert.Single(_vault.Requests);
    }

    [Fact]
    public async Task UnwrapKeyAsync_VaultAnswers500_ThrowsDecryptionFailureAfterBoundedRetries()
    {
        var wrapper = CreateWrapper();
        var wrapped = await wrapper.WrapKeyAsync(DataKey, default);
        _vault.Mode = FakeKeyVaultMode.ServerError;

        await AssertFailsAsync(AwsErrorCodes.DecryptionFailure, () => wrapper.UnwrapKeyAsync(wrapped.KeyId, wrapped.Value, default));
        await AssertFailsAsync(AwsErrorCodes.EncryptionFailure, () => wrapper.WrapKeyAsync(DataKey, default));

        Assert.Equal(1 + 3 + 3, _vault.Requests.Count);
    }

    [Fact]
    public async Task UnwrapKeyAsync_VaultHangs_ThrowsDecryptionFailureWithinBoundedTime()
    {
        var wrapper = CreateWrapper(o => o.NetworkTimeout = TimeSpan.FromMilliseconds(300));
        var wrapped = await wrapper.WrapKeyAsync(DataKey, default);
        _vault.Mode = FakeKeyVaultMode.Slow;

        var elapsed = await AssertFailsAsync(AwsErrorCodes.DecryptionFailure, () => wrapper.UnwrapKeyAsync(wrapped.KeyId, wrapped.Value, default));

        // Three tries of a 300 ms network timeout plus back-off, far below the vault's 30 s.
        Assert.InRange(elapsed, TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task WrapAndUnwrap_VaultDropsConnections_FailWithAwsErrors()
    {
        var wrapper = CreateWrapper();
        var wrapped = await wrapper.WrapKeyAsync(DataKey, default);
        _vault.Mode = FakeKeyVaultMode.Down;

        await AssertFailsAsync(AwsErrorCodes.DecryptionFailure, () => wrapper.UnwrapKeyAsync(wrapped.KeyId, wrapped.Value, default));
        await AssertFailsAsync(AwsErrorCodes.EncryptionFailure, () => wrapper.WrapKeyAsync(DataKey, default));
    }

    [Fact]
    public async Task OpenAsync_VaultStopped_CachedKeysKeepWorkingAndUncachedFail()
    {
        var cipher = CreateCipher();
        var sealedValue = await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);

        await _vault.StopAsync();

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(Plaintext, await cipher.OpenAsync(sealedValue, Arn, VersionId, default));
        }

        Assert.Equal(0, cipher.Cache.UnwrapCalls);
        var elapsed = await AssertFailsAsync(AwsErrorCodes.DecryptionFailure, () => CreateCipher().OpenAsync(sealedValue, Arn, VersionId, default));
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
        await AssertFailsAsync(AwsErrorCodes.EncryptionFailure, () => cipher.SealAsync(null, Plaintext, Arn, VersionId, default));
    }

    [Fact]
    public async Task UnwrapKeyAsync_KeyDisabled_ThrowsDecryptionFailureWithoutRetrying()
    {
        var wrapper = CreateWrapper();
        var wrapped = await wrapper.WrapKeyAsync(DataKey, default);
        _vault.Mode = FakeKeyVaultMode.KeyDisabled;

        await AssertFailsAsync(AwsErrorCodes.DecryptionFailure, () => wrapper.UnwrapKeyAsync(wrapped.KeyId, wrapped.Value, default));

        Assert.Equal([200, 403], _vault.Requests.OrderBy(r => r.At).Select(r => r.Status));
    }

    [Fact]
    public async Task WrapKeyAsync_TokenRejected_ThrowsEncryptionFailure()
    {
        var wrapper = CreateWrapper(credential: new StaticCredential("wrong-token"));

        await AssertFailsAsync(AwsErrorCodes.EncryptionFailure, () => wrapper.WrapKeyAsync(DataKey, default));

        Assert.Equal("Bearer wrong-token", Assert.Single(_vault.Requests).Authorization);
    }

    [Fact]
    public async Task UnwrapKeyAsync_CorruptedWrappedKey_ThrowsDecryptionFailure()
    {
        var wrapper = CreateWrapper();
        var wrapped = await wrapper.WrapKeyAsync(DataKey, default);
        wrapped.Value[17] ^= 0x04;

        await AssertFailsAsync(AwsErrorCodes.DecryptionFailure, () => wrapper.UnwrapKeyAsync(wrapped.KeyId, wrapped.Value, default));
    }

    [Theory]
    [InlineData("{vault}/keys/other-key/0123")]
    [InlineData("https://other.vault.azure.net/keys/test-key/0123")]
    [InlineData("{vault}/keys/test-key")]
    public async Task UnwrapKeyAsync_KidOfAnotherKey_ThrowsWithoutCallingAnyVault(string kid)
    {
        var wrapper = CreateWrapper();

        await AssertFailsAsync(AwsErrorCodes.DecryptionFailure, () => wrapper.UnwrapKeyAsync(kid.Replace("{vault}", _vault.Vault, StringComparison.Ordinal), new byte[256], default));

        Assert.Empty(_vault.Requests);
    }

    private static void AssertWire(FakeKeyVaultServer.Request request, string path)
    {
        Assert.Equal(path, request.Path);
        Assert.Equal("7.4", request.ApiVersion);
        Assert.Equal($"Bearer {FakeKeyVaultServer.Token}", request.Authorization);
        Assert.Equal("RSA-OAEP-256", request.Algorithm);
        Assert.Equal(200, request.Status);
    }

    private static async Task<TimeSpan> AssertFailsAsync(string code, Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        var error = await Assert.ThrowsAsync<AwsException>(action);
        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.Equal(code, error.Code);
        Assert.DoesNotContain("127.0.0.1", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        return elapsed;
    }

    private KeyVaultOptions Options(Action<KeyVaultOptions>? configure)
    {
        var options = new KeyVaultOptions
        {
            Scope = "https://vault.azure.net/.default",
            MaxRetries = 2,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
            NetworkTimeout = TimeSpan.FromSeconds(5),
            OperationTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return options;
    }

    private IKeyWrapper CreateWrapper(Action<KeyVaultOptions>? configure = null, TokenCredential? credential = null)
    {
        Assert.True(KeyVaultKeyId.TryParse(_vault.KeyUri, out var key));
        var factory = new KeyVaultKeyWrapperFactory(credential ?? new StaticCredential(FakeKeyVaultServer.Token), Options(configure), _vault.CreateTransport());
        return factory.Create(key);
    }

    private SecretCipher CreateCipher() =>
        SecretCipherFactory.Create(
            new EncryptionOptions { DefaultKey = _vault.KeyUri },
            Options(null),
            new StaticCredential(FakeKeyVaultServer.Token),
            transport: _vault.CreateTransport());

    /// <summary>A credential that always hands out one fixed token.</summary>
    internal sealed class StaticCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
