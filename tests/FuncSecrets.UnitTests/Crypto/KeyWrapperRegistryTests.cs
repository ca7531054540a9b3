using FuncSecrets.Core.Crypto;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.UnitTests.Crypto;

public sealed class KeyWrapperRegistryTests
{
    private const string VaultA = "https://kva.vault.azure.net/keys/payments";
    private const string VaultB = "https://kvb.vault.azure.net/keys/other";
    private static readonly string LocalKey = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());

    private readonly CountingKeyWrapper _vault = new();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("alias/aws/secretsmanager")]
    public void ForKmsKeyId_DefaultKey_IsLocalWrapper(string? kmsKeyId)
    {
        using var registry = new KeyWrapperRegistry(new EncryptionOptions { LocalKey = LocalKey });

        var wrapper = registry.ForKmsKeyId(kmsKeyId);

        Assert.IsType<LocalKeyWrapper>(wrapper);
        Assert.Same(registry.DefaultWrapper, wrapper);
    }

    [Fact]
    public void ForKmsKeyId_ConfiguredAliases_MapToTheirTargets()
    {
        var factory = new SingleWrapperFactory(_vault);
        using var registry = new KeyWrapperRegistry(
            new EncryptionOptions
            {
                LocalKey = LocalKey,
                Aliases = { ["alias/payments"] = VaultA, ["alias/dev"] = "local" },
                AliasMap = "alias/other=" + VaultB + "; arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab=local",
            },
            factory);

        Assert.Same(_vault, registry.ForKmsKeyId("alias/payments"));
        Assert.Same(_vault, registry.ForKmsKeyId("arn:aws:kms:us-east-1:123456789012:alias/payments"));
        Assert.Same(_vault, registry.ForKmsKeyId("alias/other"));
        Assert.Same(registry.DefaultWrapper, registry.ForKmsKeyId("alias/dev"));
        Assert.Same(registry.DefaultWrapper, registry.ForKmsKeyId("arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"));
        Assert.Equal([VaultA, VaultB], factory.Created.Select(k => k.ToString()).Order());
    }

    [Fact]
    public void ForKmsKeyId_KeyUriInAllowedOrConfiguredVault_IsAccepted()
    {
        var factory = new SingleWrapperFactory(_vault);
        using var registry = new KeyWrapperRegistry(
            new EncryptionOptions { DefaultKey = VaultA, AllowedVaults = ["kvc.vault.azure.net"] },
            factory);

        Assert.Same(_vault, registry.ForKmsKeyId("https://kvc.vault.azure.net/keys/anything"));
        Assert.Same(_vault, registry.ForKmsKeyId("https://kva.vault.azure.net/keys/second/0123456789abcdef0123456789abcdef"));
    }

    [Theory]
    [InlineData("https://kvb.vault.azure.net/keys/other")]
    [InlineData("https://attacker.example.com/keys/k")]
    [InlineData("https://kva.vault.azure.net.attacker.example.com/keys/k")]
    [InlineData("alias/unknown")]
    [InlineData("arn:aws:kms:us-east-1:123456789012:alias/unknown")]
    [InlineData("alias/Payments")]
    public void ForKmsKeyId_UnknownOrDisallowed_ThrowsInvalidKmsKey(string kmsKeyId)
    {
        var factory = new SingleWrapperFactory(_vault);
        using var registry = new KeyWrapperRegistry(new EncryptionOptions { DefaultKey = VaultA, Aliases = { ["alias/payments"] = VaultA } }, factory);

        var error = Assert.Throws<AwsException>(() => registry.ForKmsKeyId(kmsKeyId));

        Assert.Equal(AwsErrorCodes.InvalidParameter, error.Code);
        Assert.DoesNotContain(factory.Created, k => !k.Vault.StartsWith("https://kva.vault.azure.net", StringComparison.Ordinal));
    }

    [Fact]
    public void ForStoredKeyId_LocalAndVaultIds_PickTheirWrappers()
    {
        var retired = Convert.ToBase64String(Enumerable.Repeat((byte)8, 32).ToArray());
        using var registry = new KeyWrapperRegistry(
            new EncryptionOptions { LocalKey = LocalKey, RetiredLocalKeys = [retired], Aliases = { ["alias/p"] = VaultA } },
            new SingleWrapperFactory(_vault));

        Assert.Same(registry.DefaultWrapper, registry.ForStoredKeyId(registry.DefaultWrapper.KeyId));
        Assert.Equal(LocalKeyWrapper.ComputeKeyId(Convert.FromBase64String(retired)), registry.ForStoredKeyId(LocalKeyWrapper.ComputeKeyId(Convert.FromBase64String(retired))).KeyId);
        Assert.Same(_vault, registry.ForStoredKeyId(VaultA + "/0123456789abcdef0123456789abcdef"));
    }

    [Theory]
    [InlineData("local:00000000")]
    [InlineData("https://kva.vault.azure.net/keys/payments")] // Key Vault always answers with a versioned kid
    [InlineData("https://kvz.vault.azure.net/keys/payments/1")]
    [InlineData("something-else")]
    public void ForStoredKeyId_UnknownId_ThrowsDecryptionFailure(string keyId)
    {
        using var registry = new KeyWrapperRegistry(new EncryptionOptions { LocalKey = LocalKey, Aliases = { ["alias/p"] = VaultA } }, new SingleWrapperFactory(_vault));

        var error = Assert.Throws<AwsException>(() => registry.ForStoredKeyId(keyId));

        Assert.Equal(AwsErrorCodes.DecryptionFailure, error.Code);
    }

    [Theory]
    [InlineData(null, "local", "LocalKey is not set")]
    [InlineData("bm90IGEga2V5", "local", "LocalKey must be")]
    [InlineData(null, "https://kva.vault.azure.net/secrets/x", "DefaultKey must be")]
    public void Constructor_BadSettings_ThrowsNamingTheSetting(string? localKey, string defaultKey, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new KeyWrapperRegistry(new EncryptionOptions { LocalKey = localKey, DefaultKey = defaultKey }, new SingleWrapperFactory(_vault)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alias/a")]
    [InlineData("=https://kva.vault.azure.net/keys/a")]
    [InlineData("alias/a=")]
    public void Constructor_MalformedAliasMap_Throws(string aliasMap) =>
        Assert.Throws<InvalidOperationException>(() => new KeyWrapperRegistry(new EncryptionOptions { LocalKey = LocalKey, AliasMap = aliasMap }));

    [Fact]
    public void Constructor_VaultTargetWithoutFactory_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new KeyWrapperRegistry(new EncryptionOptions { DefaultKey = VaultA }));
}
