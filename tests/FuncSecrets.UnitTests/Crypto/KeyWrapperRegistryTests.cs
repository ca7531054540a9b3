using FuncSecrets.Azure.KeyVault;
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

    /// <summary>
    /// Issue 10: Core knows no key service's id grammar. A factory with another grammar works
    /// through the same seam, and Key Vault URIs mean nothing to it.
    /// </summary>
    [Fact]
    public void ForKmsKeyId_FactoryWithItsOwnGrammar_DecidesWhatIsAKeyId()
    {
        var factory = new PrefixGrammarFactory(_vault);
        using var registry = new KeyWrapperRegistry(new EncryptionOptions { LocalKey = LocalKey, AllowedVaults = ["box1"] }, factory);

        Assert.Same(_vault, registry.ForKmsKeyId("hsm:box1:payments"));
        Assert.Same(_vault, registry.ForStoredKeyId("hsm:box1:payments:7"));
        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsException>(() => registry.ForKmsKeyId("hsm:box2:payments")).Code);
        Assert.Equal(AwsErrorCodes.InvalidParameter, Assert.Throws<AwsException>(() => registry.ForKmsKeyId(VaultA)).Code);
        Assert.Equal([new KeyReference("box1", "payments", null)], factory.Created);
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
        Assert.Equal([VaultA, VaultB], factory.Created.Select(k => KeyVaultKeyId.FromReference(k).ToString()).Order());
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
        Assert.DoesNotContain(factory.Created, k => !k.Container.StartsWith("https://kva.vault.azure.net", StringComparison.Ordinal));
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

/// <summary>Key ids of the form <c>hsm:{container}:{name}[:{version}]</c>: a grammar that is not Key Vault's.</summary>
internal sealed class PrefixGrammarFactory(IKeyWrapper wrapper) : IKeyWrapperFactory
{
    public List<KeyReference> Created { get; } = [];

    public bool TryParseKey(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out KeyReference? key)
    {
        var parts = value?.Split(':') ?? [];
        key = parts.Length is 3 or 4 && parts[0] == "hsm" ? new KeyReference(parts[1], parts[2], parts.Length == 4 ? parts[3] : null) : null;
        return key is not null;
    }

    public bool TryParseContainer(string? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? container)
    {
        container = string.IsNullOrEmpty(value) || value.Contains(':', StringComparison.Ordinal) ? null : value;
        return container is not null;
    }

    public IKeyWrapper Create(KeyReference key)
    {
        Created.Add(key);
        return wrapper;
    }
}
