namespace FuncSecrets.Core.Crypto;

/// <summary>
/// Which keys wrap data keys, bound from the configuration section <see cref="SectionName"/>.
/// A key target is either <see cref="LocalTarget"/> (the local RFC 5649 key) or a Key Vault key
/// URI (<c>https://{vault}.vault.azure.net/keys/{name}[/{version}]</c>).
/// </summary>
public sealed class EncryptionOptions
{
    public const string SectionName = "FuncSecrets:Encryption";

    /// <summary>The target that names the local key.</summary>
    public const string LocalTarget = "local";

    /// <summary>Base64 of the 32-byte local key-encryption key. Required when any target is <c>local</c>.</summary>
    public string? LocalKey { get; set; }

    /// <summary>
    /// Base64 of earlier local keys, used only to unwrap rows they wrapped (so the local key can be
    /// rotated: new versions use <see cref="LocalKey"/>, old rows keep opening).
    /// </summary>
    public List<string> RetiredLocalKeys { get; set; } = [];

    /// <summary>The target for secrets with no KmsKeyId (AWS's <c>alias/aws/secretsmanager</c>).</summary>
    public string DefaultKey { get; set; } = LocalTarget;

    /// <summary>
    /// KmsKeyId → target, e.g. <c>"alias/payments": "https://kv1.vault.azure.net/keys/payments"</c>.
    /// Keys may be aliases, alias ARNs, key ARNs or key ids, matched exactly.
    /// </summary>
    public Dictionary<string, string> Aliases { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The same map as one string, for environment variables and app settings, whose names cannot
    /// hold '/': <c>alias/a=https://kv.vault.azure.net/keys/a;alias/b=local</c>. Entries here win
    /// over <see cref="Aliases"/>.
    /// </summary>
    public string? AliasMap { get; set; }

    /// <summary>
    /// Vaults (host names or <c>https://</c> origins) whose key URIs a caller may pass as KmsKeyId
    /// directly. The vaults of <see cref="DefaultKey"/> and of alias targets are always allowed.
    /// </summary>
    public List<string> AllowedVaults { get; set; } = [];

    /// <summary>Most unwrapped data keys held in memory; 0 turns the cache off.</summary>
    public int CacheMaxEntries { get; set; } = 10_000;

    /// <summary>How long an unwrapped data key stays cached (from when it was unwrapped); 0 turns the cache off.</summary>
    public int CacheSeconds { get; set; } = 900;
}
