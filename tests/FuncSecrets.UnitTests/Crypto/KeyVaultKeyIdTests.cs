using FuncSecrets.Azure.KeyVault;

namespace FuncSecrets.UnitTests.Crypto;

public sealed class KeyVaultKeyIdTests
{
    [Theory]
    [InlineData("https://kv1.vault.azure.net/keys/payments", "https://kv1.vault.azure.net", "payments", null)]
    [InlineData("https://KV1.Vault.Azure.Net:443/keys/pay-ments/0123456789abcdef0123456789abcdef", "https://kv1.vault.azure.net", "pay-ments", "0123456789abcdef0123456789abcdef")]
    [InlineData("https://hsm.managedhsm.azure.net/keys/k/1", "https://hsm.managedhsm.azure.net", "k", "1")]
    [InlineData("https://127.0.0.1:8443/keys/test", "https://127.0.0.1:8443", "test", null)]
    public void TryParse_KeyIdentifier_Parses(string value, string vault, string name, string? version)
    {
        Assert.True(KeyVaultKeyId.TryParse(value, out var id));
        Assert.Equal(vault, id.Vault);
        Assert.Equal(name, id.Name);
        Assert.Equal(version, id.Version);
    }

    [Theory]
    [InlineData("http://kv1.vault.azure.net/keys/k")]
    [InlineData("https://kv1.vault.azure.net/secrets/k")]
    [InlineData("https://kv1.vault.azure.net/keys/")]
    [InlineData("https://kv1.vault.azure.net/keys/k/v/extra")]
    [InlineData("https://kv1.vault.azure.net/keys/k?x=1")]
    [InlineData("https://kv1.vault.azure.net/keys/k#f")]
    [InlineData("https://user:pw@kv1.vault.azure.net/keys/k")]
    [InlineData("https://kv1.vault.azure.net/keys/k%2F..%2Fx")]
    [InlineData("https://kv1.vault.azure.net/keys/../keys/k")]
    [InlineData("https://kv1.vault.azure.net/keys/k_1")]
    [InlineData("alias/aws/secretsmanager")]
    [InlineData("")]
    public void TryParse_AnythingElse_Fails(string value) => Assert.False(KeyVaultKeyId.TryParse(value, out _));

    [Theory]
    [InlineData("kv1.vault.azure.net", "https://kv1.vault.azure.net")]
    [InlineData("https://KV1.vault.azure.net/", "https://kv1.vault.azure.net")]
    [InlineData("https://127.0.0.1:8443", "https://127.0.0.1:8443")]
    public void TryParseVault_HostOrOrigin_GivesOrigin(string value, string expected)
    {
        Assert.True(KeyVaultKeyId.TryParseVault(value, out var vault));
        Assert.Equal(expected, vault);
    }

    [Theory]
    [InlineData("http://kv1.vault.azure.net")]
    [InlineData("https://kv1.vault.azure.net/keys")]
    [InlineData(" ")]
    public void TryParseVault_NotAnOrigin_Fails(string value) => Assert.False(KeyVaultKeyId.TryParseVault(value, out _));

    [Fact]
    public void IsSameKey_OtherVersion_IsTrue_OtherVault_IsFalse()
    {
        Assert.True(KeyVaultKeyId.TryParse("https://kv1.vault.azure.net/keys/k/1", out var v1));
        Assert.True(KeyVaultKeyId.TryParse("https://kv1.vault.azure.net/keys/K/2", out var v2));
        Assert.True(KeyVaultKeyId.TryParse("https://kv2.vault.azure.net/keys/k/1", out var other));

        Assert.True(v1.IsSameKey(v2));
        Assert.False(v1.IsSameKey(other));
        Assert.Equal("https://kv1.vault.azure.net/keys/k", v1.WithVersion(null).ToString());
    }
}
