using FuncSecrets.Core.Auth;
using Microsoft.Extensions.Configuration;
using static FuncSecrets.UnitTests.Auth.AuthTestKit;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>Access keys from configuration: binding, defaults and refusing bad settings at start.</summary>
public sealed class AccessKeyStoreTests
{
    [Fact]
    public void Bind_FlatAppSettingKeys_ProduceTheKeyList()
    {
        // Environment variables / Azure app settings use "__" for ":"; the configuration system
        // maps them before binding, so this is what FuncSecrets__Auth__AccessKeys__0__... gives.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FuncSecrets:Auth:AccessKeys:0:AccessKeyId"] = AliceKeyId,
            ["FuncSecrets:Auth:AccessKeys:0:SecretAccessKey"] = AliceSecret,
            ["FuncSecrets:Auth:AccessKeys:0:PrincipalArn"] = AliceArn,
            ["FuncSecrets:Auth:AccessKeys:1:AccessKeyId"] = "AKIASECONDEXAMPLE001",
            ["FuncSecrets:Auth:AccessKeys:1:SecretAccessKey"] = "second",
            ["FuncSecrets:Auth:TrustForwardedHost"] = "false",
        }).Build();

        var options = configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>()!;
        var store = new AccessKeyStore(options, Service);

        Assert.Equal((2, true, false), (store.Count, options.Enabled, options.TrustForwardedHost));
        Assert.Equal(AliceArn, store.PrincipalArnOf(AliceKeyId));
        Assert.Equal("arn:aws:iam::123456789012:root", store.PrincipalArnOf("AKIASECONDEXAMPLE001"));
    }

    [Fact]
    public void Construct_DuplicateKeyId_ThrowsNamingTheSettingButNotTheSecret()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Keys(Key(AliceKeyId, AliceSecret), Key(AliceKeyId, "other-secret")));

        Assert.Contains("FuncSecrets:Auth:AccessKeys:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("other-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Construct_MissingSecret_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Keys(Key(AliceKeyId, "")));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"secretsmanager:*","Resource":"*"}}""")]
    [InlineData("""{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"secretsmanager:*"}}""")]
    public void Construct_InvalidIdentityPolicy_ThrowsNamingTheKey(string policy)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Keys(Key(AliceKeyId, AliceSecret, policy: policy)));

        Assert.Contains(AliceKeyId, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_OfKeyOptions_DoesNotShowTheSecret()
    {
        Assert.DoesNotContain(AliceSecret, Key(AliceKeyId, AliceSecret, sessionToken: "tok").ToString(), StringComparison.Ordinal);
    }
}
