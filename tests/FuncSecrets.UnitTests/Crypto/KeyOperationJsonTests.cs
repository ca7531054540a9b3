using System.Text;
using FuncSecrets.Azure.KeyVault;
using FuncSecrets.Core.Crypto;

namespace FuncSecrets.UnitTests.Crypto;

public sealed class KeyOperationJsonTests
{
    [Fact]
    public void WriteRequest_Key_IsAlgAndUnpaddedBase64Url()
    {
        var body = KeyOperationJson.WriteRequest("RSA-OAEP-256", [0xfb, 0xff, 0xfe, 0x01]);

        Assert.Equal("{\"alg\":\"RSA-OAEP-256\",\"value\":\"-__-AQ\"}", Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void TryReadResult_KeyOperationResult_ReadsKidAndValue()
    {
        var json = "{\"kid\":\"https://kv.vault.azure.net/keys/k/1\",\"value\":\"-__-AQ\",\"other\":{\"x\":[1]}}"u8;

        Assert.True(KeyOperationJson.TryReadResult(json, out var kid, out var value));
        Assert.Equal("https://kv.vault.azure.net/keys/k/1", kid);
        Assert.Equal(new byte[] { 0xfb, 0xff, 0xfe, 0x01 }, value);
    }

    [Theory]
    [InlineData("{\"kid\":\"https://kv.vault.azure.net/keys/k/1\"}")]
    [InlineData("{\"value\":\"AQ\"}")]
    [InlineData("{\"kid\":\"k\",\"value\":\"***\"}")]
    [InlineData("[1]")]
    [InlineData("{\"kid\":")]
    public void TryReadResult_Malformed_ReturnsFalse(string json) =>
        Assert.False(KeyOperationJson.TryReadResult(Encoding.UTF8.GetBytes(json), out _, out _));

    [Theory]
    [InlineData("{\"error\":{\"code\":\"Forbidden\",\"message\":\"m\",\"innererror\":{\"code\":\"KeyDisabled\"}}}", "Forbidden")]
    [InlineData("not json", "none")]
    public void ReadErrorCode_KeyVaultError_ReadsTopCode(string json, string expected) =>
        Assert.Equal(expected, KeyOperationJson.ReadErrorCode(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("https://myvault.vault.azure.net/keys/k", "https://vault.azure.net/.default")]
    [InlineData("https://myvault.vault.azure.cn/keys/k", "https://vault.azure.cn/.default")]
    [InlineData("https://myhsm.managedhsm.azure.net/keys/k", "https://managedhsm.azure.net/.default")]
    public void ScopeFor_VaultHost_IsItsCloudsScope(string keyUri, string scope)
    {
        Assert.True(KeyVaultKeyId.TryParse(keyUri, out var key));
        Assert.Equal(scope, KeyVaultKeyWrapperFactory.ScopeFor(key));
    }
}
