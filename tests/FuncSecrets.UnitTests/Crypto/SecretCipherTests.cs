using System.Text;
using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.UnitTests.Crypto;

public sealed class SecretCipherTests
{
    private const string Arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf";
    private const string VersionId = "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE";
    private const string VaultKey = "https://kv.vault.azure.net/keys/k";

    private static readonly byte[] LocalKeyBytes = Enumerable.Range(0x00, 32).Select(i => (byte)i).ToArray();
    private static readonly string LocalKey = Convert.ToBase64String(LocalKeyBytes);
    private static readonly byte[] Plaintext = Encoding.UTF8.GetBytes("{\"username\":\"admin\",\"password\":\"hunter2\"}");

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_536)]
    public async Task OpenAsync_SealedValue_ReturnsPlaintext(int size)
    {
        var cipher = CreateLocal();
        var plaintext = Enumerable.Range(0, size).Select(i => (byte)(i * 7)).ToArray();

        var sealedValue = await cipher.SealAsync(null, plaintext, Arn, VersionId, default);

        Assert.Equal(size + SecretCipher.TagSize, sealedValue.Ciphertext.Length);
        Assert.Equal(SecretCipher.NonceSize, sealedValue.Nonce.Length);
        Assert.Equal(plaintext, await cipher.OpenAsync(sealedValue, Arn, VersionId, default));
        Assert.Equal(plaintext, await CreateLocal().OpenAsync(sealedValue, Arn, VersionId, default));
    }

    [Fact]
    public async Task SealAsync_SameInputTwice_UsesFreshDataKeyAndNonce()
    {
        var cipher = CreateLocal();

        var first = await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);
        var second = await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);

        Assert.NotEqual(first.Nonce, second.Nonce);
        Assert.NotEqual(first.WrappedKey, second.WrappedKey);
        Assert.NotEqual(first.Ciphertext, second.Ciphertext);
    }

    /// <summary>
    /// Expected bytes computed independently with python3 `cryptography` 48.0:
    /// AESGCM(dataKey).encrypt(nonce, plaintext, struct.pack('>I', len(arn)) + arn + versionId) and
    /// aes_key_wrap_with_padding(localKey, dataKey); key id = "local:" + sha256(localKey)[:8 hex].
    /// </summary>
    [Fact]
    public async Task SealAsync_FixedDataKeyAndNonce_MatchesKnownAnswer()
    {
        var dataKey = Enumerable.Range(0x20, 32).Select(i => (byte)i).ToArray();
        var nonce = Convert.FromHexString("cafebabefacedbaddecaf888");
        var cipher = CreateLocal(new FixedRandom(dataKey, nonce));

        var sealedValue = await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);

        Assert.Equal("local:630dcd29", sealedValue.KeyId);
        Assert.Equal("92f48c52045c08050ec796a5a91c5ddaf7c61cbdc940adc8d3dc8a144f6161a8c5d3299e325f1750", Convert.ToHexStringLower(sealedValue.WrappedKey));
        Assert.Equal(nonce, sealedValue.Nonce);
        Assert.Equal(
            "fcdd93041dc2ebed1002fe1ab1a647c5a521c593e55e50bb509514d392be0612e524a46914a9d0453d9de0ffe8f80ef63167b94385989a863b",
            Convert.ToHexStringLower(sealedValue.Ciphertext));
        Assert.Equal(Plaintext, await CreateLocal().OpenAsync(sealedValue, Arn, VersionId, default));
    }

    [Fact]
    public void AssociatedData_ArnAndVersion_IsLengthPrefixed()
    {
        var aad = SecretCipher.AssociatedData("ab", "c");

        Assert.Equal(new byte[] { 0, 0, 0, 2, (byte)'a', (byte)'b', (byte)'c' }, aad);
        Assert.NotEqual(aad, SecretCipher.AssociatedData("a", "bc"));
    }

    public static TheoryData<string> Tamperings() =>
    [
        "ciphertext bit", "tag bit", "nonce bit", "wrapped key bit", "wrong arn", "wrong version id",
        "arn/version split shifted", "truncated by one", "truncated below tag", "extended by one",
        "short nonce", "empty wrapped key", "other key id", "unknown key id",
    ];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task OpenAsync_TamperedValue_ThrowsDecryptionFailure(string tampering)
    {
        var cipher = CreateLocal();
        var good = await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);
        var (value, arn, versionId) = Tamper(good, tampering);

        // Warm cache (the data key of the untampered value is cached) and cold cache.
        await CryptoAssert.DecryptionFailureAsync(() => cipher.OpenAsync(value, arn, versionId, default));
        await CryptoAssert.DecryptionFailureAsync(() => CreateLocal().OpenAsync(value, arn, versionId, default));
        Assert.Equal(Plaintext, await cipher.OpenAsync(good, Arn, VersionId, default));
    }

    [Fact]
    public async Task OpenAsync_SteadyState_MakesNoWrapperCalls()
    {
        var (cipher, wrapper) = CreateWithVault();
        var sealedValue = await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(Plaintext, await cipher.OpenAsync(sealedValue, Arn, VersionId, default));
        }

        Assert.Equal(1, wrapper.WrapCalls);
        Assert.Equal(0, wrapper.UnwrapCalls);
        Assert.Equal(0, cipher.Cache.UnwrapCalls);
        Assert.Equal(100, cipher.Cache.Hits);
    }

    [Fact]
    public async Task OpenAsync_ColdCache_UnwrapsOnceThenServesFromCache()
    {
        var (sealer, wrapper) = CreateWithVault();
        var sealedValue = await sealer.SealAsync(null, Plaintext, Arn, VersionId, default);
        var reader = new SecretCipher(Registry(new EncryptionOptions { DefaultKey = VaultKey }, wrapper), new DataKeyCache());

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(Plaintext, await reader.OpenAsync(sealedValue, Arn, VersionId, default));
        }

        Assert.Equal(1, wrapper.UnwrapCalls);
        Assert.Equal(1, reader.Cache.UnwrapCalls);
        Assert.Equal(9, reader.Cache.Hits);
    }

    [Fact]
    public async Task SealAsync_AfterReturn_DataKeyHandedToWrapperIsZeroed()
    {
        var (cipher, wrapper) = CreateWithVault();

        await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);

        Assert.Equal(SecretCipher.DataKeySize, wrapper.LastDataKey.Length);
        Assert.All(wrapper.LastDataKey.ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task SealAsync_WrapperFails_ThrowsEncryptionFailure()
    {
        var (cipher, wrapper) = CreateWithVault();
        wrapper.Failure = new HttpRequestException("vault.example: connection refused");

        await CryptoAssert.EncryptionFailureAsync(() => cipher.SealAsync(null, Plaintext, Arn, VersionId, default));
    }

    [Fact]
    public async Task OpenAsync_WrapperFails_ThrowsDecryptionFailure()
    {
        var (sealer, wrapper) = CreateWithVault();
        var sealedValue = await sealer.SealAsync(null, Plaintext, Arn, VersionId, default);
        var reader = new SecretCipher(Registry(new EncryptionOptions { DefaultKey = VaultKey }, wrapper), new DataKeyCache());
        wrapper.Failure = new TimeoutException();

        await CryptoAssert.DecryptionFailureAsync(() => reader.OpenAsync(sealedValue, Arn, VersionId, default));
    }

    [Fact]
    public async Task OpenAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var (sealer, wrapper) = CreateWithVault();
        var sealedValue = await sealer.SealAsync(null, Plaintext, Arn, VersionId, default);
        var reader = new SecretCipher(Registry(new EncryptionOptions { DefaultKey = VaultKey }, wrapper), new DataKeyCache());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        wrapper.Failure = new OperationCanceledException(cancelled.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.OpenAsync(sealedValue, Arn, VersionId, cancelled.Token));
        // A cancellation the caller did not ask for (a wrapper's own timeout) is a failure to open.
        await CryptoAssert.DecryptionFailureAsync(() => reader.OpenAsync(sealedValue, Arn, VersionId, default));
    }

    [Fact]
    public async Task OpenAsync_LocalKeyReplaced_ThrowsDecryptionFailureUnlessRetiredKeyKept()
    {
        var sealedValue = await CreateLocal().SealAsync(null, Plaintext, Arn, VersionId, default);
        var newKey = Convert.ToBase64String(Enumerable.Repeat((byte)0x99, 32).ToArray());

        var replaced = new SecretCipher(new KeyWrapperRegistry(new EncryptionOptions { LocalKey = newKey }), new DataKeyCache());
        var rotated = new SecretCipher(new KeyWrapperRegistry(new EncryptionOptions { LocalKey = newKey, RetiredLocalKeys = [LocalKey] }), new DataKeyCache());

        await CryptoAssert.DecryptionFailureAsync(() => replaced.OpenAsync(sealedValue, Arn, VersionId, default));
        Assert.Equal(Plaintext, await rotated.OpenAsync(sealedValue, Arn, VersionId, default));
        Assert.NotEqual(sealedValue.KeyId, (await rotated.SealAsync(null, Plaintext, Arn, VersionId, default)).KeyId);
    }

    [Fact]
    public async Task RewrapAsync_ToAliasedVaultKey_KeepsCiphertextAndOpensUnderNewKey()
    {
        var wrapper = new CountingKeyWrapper();
        var options = new EncryptionOptions { LocalKey = LocalKey, AliasMap = $"alias/vault={VaultKey}" };
        var cipher = new SecretCipher(Registry(options, wrapper), new DataKeyCache());
        var local = await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);

        var rewrapped = await cipher.RewrapAsync(local, "alias/vault", default);

        Assert.Equal(wrapper.KeyId, rewrapped.KeyId);
        Assert.Equal(local.Nonce, rewrapped.Nonce);
        Assert.Equal(local.Ciphertext, rewrapped.Ciphertext);
        var cold = new SecretCipher(Registry(options, wrapper), new DataKeyCache());
        Assert.Equal(Plaintext, await cold.OpenAsync(rewrapped, Arn, VersionId, default));
        Assert.Equal(1, wrapper.UnwrapCalls);
    }

    [Fact]
    public async Task RewrapAsync_AlreadyUnderThatKey_ReturnsValueUnchanged()
    {
        var cipher = CreateLocal();
        var sealedValue = await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);

        Assert.Same(sealedValue, await cipher.RewrapAsync(sealedValue, "alias/aws/secretsmanager", default));
    }

    [Fact]
    public async Task RewrapAsync_NewWrapperFails_ThrowsEncryptionFailure()
    {
        var wrapper = new CountingKeyWrapper { Failure = new HttpRequestException() };
        var cipher = new SecretCipher(Registry(new EncryptionOptions { LocalKey = LocalKey, AliasMap = $"alias/vault={VaultKey}" }, wrapper), new DataKeyCache());
        var sealedValue = await cipher.SealAsync(null, Plaintext, Arn, VersionId, default);

        await CryptoAssert.EncryptionFailureAsync(() => cipher.RewrapAsync(sealedValue, "alias/vault", default));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alias/aws/secretsmanager")]
    [InlineData("arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager")]
    public void ValidateKmsKeyId_DefaultKey_Passes(string? kmsKeyId) => CreateLocal().ValidateKmsKeyId(kmsKeyId);

    [Theory]
    [InlineData("alias/unknown")]
    [InlineData("1234abcd-12ab-34cd-56ef-1234567890ab")]
    [InlineData("https://evil.example.com/keys/k")]
    public async Task ValidateKmsKeyId_UnknownKey_ThrowsInvalidParameterAndSealRefuses(string kmsKeyId)
    {
        var cipher = CreateLocal();

        var error = Assert.Throws<AwsException>(() => cipher.ValidateKmsKeyId(kmsKeyId));

        Assert.Equal(AwsErrorCodes.InvalidParameter, error.Code);
        Assert.Equal("The operation failed because of an invalid KMS key: Invalid keyId", error.Message);
        await CryptoAssert.EncryptionFailureAsync(() => cipher.SealAsync(kmsKeyId, Plaintext, Arn, VersionId, default));
    }

    private static SecretCipher CreateLocal(ICryptoRandom? random = null) =>
        new(new KeyWrapperRegistry(new EncryptionOptions { LocalKey = LocalKey }), new DataKeyCache(), random);

    private static (SecretCipher Cipher, CountingKeyWrapper Wrapper) CreateWithVault()
    {
        var wrapper = new CountingKeyWrapper();
        return (new SecretCipher(Registry(new EncryptionOptions { DefaultKey = VaultKey }, wrapper), new DataKeyCache()), wrapper);
    }

    private static KeyWrapperRegistry Registry(EncryptionOptions options, IKeyWrapper vaultWrapper) =>
        new(options, new SingleWrapperFactory(vaultWrapper));

    private static (SealedValue Value, string Arn, string VersionId) Tamper(SealedValue good, string tampering)
    {
        static byte[] Flip(byte[] bytes, int index)
        {
            var copy = bytes.ToArray();
            copy[index < 0 ? copy.Length + index : index] ^= 0x01;
            return copy;
        }

        return tampering switch
        {
            "ciphertext bit" => (good with { Ciphertext = Flip(good.Ciphertext, 0) }, Arn, VersionId),
            "tag bit" => (good with { Ciphertext = Flip(good.Ciphertext, -1) }, Arn, VersionId),
            "nonce bit" => (good with { Nonce = Flip(good.Nonce, 5) }, Arn, VersionId),
            "wrapped key bit" => (good with { WrappedKey = Flip(good.WrappedKey, 9) }, Arn, VersionId),
            "wrong arn" => (good, Arn.Replace("AbCdEf", "AbCdEg", StringComparison.Ordinal), VersionId),
            "wrong version id" => (good, Arn, VersionId.ToLowerInvariant()),
            "arn/version split shifted" => (good, Arn + VersionId[0], VersionId[1..]),
            "truncated by one" => (good with { Ciphertext = good.Ciphertext[..^1] }, Arn, VersionId),
            "truncated below tag" => (good with { Ciphertext = good.Ciphertext[..(SecretCipher.TagSize - 1)] }, Arn, VersionId),
            "extended by one" => (good with { Ciphertext = [.. good.Ciphertext, 0] }, Arn, VersionId),
            "short nonce" => (good with { Nonce = good.Nonce[..^1] }, Arn, VersionId),
            "empty wrapped key" => (good with { WrappedKey = [] }, Arn, VersionId),
            "other key id" => (good with { KeyId = "local:00000000" }, Arn, VersionId),
            "unknown key id" => (good with { KeyId = "https://evil.example.com/keys/k/1" }, Arn, VersionId),
            _ => throw new ArgumentOutOfRangeException(nameof(tampering)),
        };
    }
}
