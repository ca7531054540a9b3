using System.Security.Cryptography;
using FuncSecrets.Core.Crypto;

namespace FuncSecrets.UnitTests.Crypto;

public sealed class LocalKeyWrapperTests
{
    private static readonly byte[] Key = Enumerable.Range(0x00, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] DataKey = Enumerable.Range(0x20, 32).Select(i => (byte)i).ToArray();

    /// <summary>RFC 5649 section 6: the two test vectors, both under the 192-bit KEK it gives.</summary>
    [Theory]
    [InlineData("c37b7e6492584340bed12207808941155068f738", "138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a")]
    [InlineData("466f7250617369", "afbeb0f07dfbf5419200f2ccb50bb24f")]
    public void AesKeyWrapPadded_Rfc5649Vectors_Match(string keyHex, string wrappedHex)
    {
        using var aes = Aes.Create();
        aes.Key = Convert.FromHexString("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8");

        Assert.Equal(wrappedHex, Convert.ToHexStringLower(aes.EncryptKeyWrapPadded(Convert.FromHexString(keyHex))));
        Assert.Equal(keyHex, Convert.ToHexStringLower(aes.DecryptKeyWrapPadded(Convert.FromHexString(wrappedHex))));
    }

    /// <summary>Expected value from python3 `cryptography`: aes_key_wrap_with_padding(Key, DataKey).</summary>
    [Fact]
    public async Task WrapKeyAsync_Aes256Key_MatchesKnownAnswer()
    {
        using var wrapper = new LocalKeyWrapper(Key);

        var wrapped = await wrapper.WrapKeyAsync(DataKey, default);

        Assert.Equal("local:630dcd29", wrapped.KeyId);
        Assert.Equal("92f48c52045c08050ec796a5a91c5ddaf7c61cbdc940adc8d3dc8a144f6161a8c5d3299e325f1750", Convert.ToHexStringLower(wrapped.Value));
        Assert.Equal(DataKey, await wrapper.UnwrapKeyAsync(wrapped.KeyId, wrapped.Value, default));
    }

    [Fact]
    public async Task UnwrapKeyAsync_FlippedBit_ThrowsDecryptionFailure()
    {
        using var wrapper = new LocalKeyWrapper(Key);
        var wrapped = await wrapper.WrapKeyAsync(DataKey, default);
        wrapped.Value[3] ^= 0x80;

        await CryptoAssert.DecryptionFailureAsync(() => wrapper.UnwrapKeyAsync(wrapped.KeyId, wrapped.Value, default));
    }

    [Fact]
    public async Task UnwrapKeyAsync_OtherKeysId_ThrowsDecryptionFailure()
    {
        using var wrapper = new LocalKeyWrapper(Key);
        using var other = new LocalKeyWrapper(DataKey);
        var wrapped = await other.WrapKeyAsync(DataKey, default);

        await CryptoAssert.DecryptionFailureAsync(() => wrapper.UnwrapKeyAsync(wrapped.KeyId, wrapped.Value, default));
        // Even under the right id, another key's output fails RFC 5649's integrity check.
        await CryptoAssert.DecryptionFailureAsync(() => wrapper.UnwrapKeyAsync(wrapper.KeyId, wrapped.Value, default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==")] // 16 bytes
    public void FromBase64_NotA256BitKey_ThrowsNamingTheSettingOnly(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => LocalKeyWrapper.FromBase64(value, "FuncSecrets:Encryption:LocalKey"));

        Assert.Contains("FuncSecrets:Encryption:LocalKey", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(value.Length > 0 ? value : "\u0000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyId_DifferentKeys_Differ()
    {
        using var a = new LocalKeyWrapper(Key);
        using var b = LocalKeyWrapper.FromBase64(Convert.ToBase64String(DataKey), "x");

        Assert.Matches("^local:[0-9a-f]{8}$", a.KeyId);
        Assert.NotEqual(a.KeyId, b.KeyId);
    }
}
