namespace FuncSecrets.Azure.KeyVault;

/// <summary>
/// How Key Vault is called, bound from <see cref="SectionName"/>. The defaults keep one wrap or
/// unwrap under about ten seconds even when the vault throttles or hangs.
/// </summary>
public sealed class KeyVaultOptions
{
    public const string SectionName = "FuncSecrets:Encryption:KeyVault";

    /// <summary>The Key Vault REST API version (wrapkey/unwrapkey are unchanged since 7.0).</summary>
    public string ApiVersion { get; set; } = "7.4";

    /// <summary>
    /// The token scope. Null: derived from the vault host, <c>https://vault.azure.net/.default</c>
    /// for <c>*.vault.azure.net</c> (and likewise for sovereign clouds and Managed HSM).
    /// </summary>
    public string? Scope { get; set; }

    /// <summary>Retries after the first try (429 honouring Retry-After, 408, 5xx, network errors).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The first back-off delay (exponential, with jitter) when the vault sends no Retry-After.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest back-off delay when the vault sends no Retry-After.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The limit on one try.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The limit on one wrap or unwrap, retries and Retry-After waits included: a vault asking
    /// for a long Retry-After makes the call fail at this bound instead of hanging the request.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
