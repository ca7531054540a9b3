using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Core.Crypto;

/// <summary>
/// Maps a secret's <c>KmsKeyId</c> to the key wrapper that seals its new versions, and a stored
/// key id back to the wrapper that unwraps it.
/// </summary>
/// <remarks>
/// KmsKeyId → wrapper: empty or <c>alias/aws/secretsmanager</c> → the default key; a configured
/// alias (or alias ARN, key ARN, key id) → its target; a Key Vault key URI in an allowed vault →
/// that key; anything else is refused, as AWS refuses a KMS key it cannot find. Stored key id →
/// wrapper: <c>local:…</c> → the local key with that id (current or retired); a Key Vault key
/// URI in an allowed vault → that vault's key; anything else cannot be opened. The allow list is
/// what stops a caller (or a tampered row) from making this service POST data keys to a URL of
/// its choosing.
/// </remarks>
public sealed class KeyWrapperRegistry : IDisposable
{
    /// <summary>AWS's name for the default key of Secrets Manager.</summary>
    public const string DefaultAlias = "alias/aws/secretsmanager";

    // Bounds the wrappers made for caller-supplied key URIs; beyond it they are made per call.
    private const int MaxDynamicWrappers = 1024;

    private readonly Dictionary<string, LocalKeyWrapper> _localKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IKeyWrapper> _aliases = new(StringComparer.Ordinal);
    private readonly HashSet<string> _allowedVaults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<KeyReference, IKeyWrapper> _keyVaultWrappers = new();
    private readonly IKeyWrapperFactory? _keyVault;

    /// <param name="options">The <c>FuncSecrets:Encryption</c> settings.</param>
    /// <param name="keyVault">Makes Key Vault wrappers; null when no target is a Key Vault key.</param>
    /// <exception cref="InvalidOperationException">The settings are incomplete or malformed (the message names the setting, never a key).</exception>
    public KeyWrapperRegistry(EncryptionOptions options, IKeyWrapperFactory? keyVault = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keyVault = keyVault;

        LocalKeyWrapper? currentLocal = null;
        if (!string.IsNullOrWhiteSpace(options.LocalKey))
        {
            currentLocal = LocalKeyWrapper.FromBase64(options.LocalKey, $"{EncryptionOptions.SectionName}:LocalKey");
            _localKeys[currentLocal.KeyId] = currentLocal;
        }

        for (var i = 0; i < options.RetiredLocalKeys.Count; i++)
        {
            var retired = LocalKeyWrapper.FromBase64(options.RetiredLocalKeys[i], $"{EncryptionOptions.SectionName}:RetiredLocalKeys:{i}");
            if (!_localKeys.TryAdd(retired.KeyId, retired))
            {
                retired.Dispose();
            }
        }

        foreach (var vault in options.AllowedVaults)
        {
            // Without a key service no vault can be reached, so there is nothing to allow.
            if (_keyVault is not null)
            {
                _allowedVaults.Add(_keyVault.TryParseContainer(vault, out var origin)
                    ? origin
                    : throw new InvalidOperationException($"{EncryptionOptions.SectionName}:AllowedVaults has an entry that is not a vault host name or https origin."));
            }
        }

        DefaultWrapper = Target(options.DefaultKey, $"{EncryptionOptions.SectionName}:DefaultKey", currentLocal);
        foreach (var (alias, target) in AliasEntries(options))
        {
            _aliases[alias] = Target(target, $"{EncryptionOptions.SectionName}:Aliases ({alias})", currentLocal);
        }
    }

    /// <summary>The wrapper for secrets without a KmsKeyId.</summary>
    public IKeyWrapper DefaultWrapper { get; }

    /// <summary>True when <paramref name="kmsKeyId"/> selects a configured or allowed key.</summary>
    public bool TryGetForKmsKeyId(string? kmsKeyId, out IKeyWrapper wrapper)
    {
        var alias = string.IsNullOrEmpty(kmsKeyId) ? DefaultAlias : AliasFromArn(kmsKeyId) ?? kmsKeyId;
        if (alias == DefaultAlias)
        {
            wrapper = DefaultWrapper;
            return true;
        }

        if (_aliases.TryGetValue(kmsKeyId!, out wrapper!) || _aliases.TryGetValue(alias, out wrapper!))
        {
            return true;
        }

        if (TryParseKey(kmsKeyId, out var keyId) && _allowedVaults.Contains(keyId.Container))
        {
            wrapper = KeyVaultWrapper(keyId);
            return true;
        }

        wrapper = null!;
        return false;
    }

    /// <summary>The wrapper that seals for <paramref name="kmsKeyId"/>; InvalidParameterException when there is none.</summary>
    public IKeyWrapper ForKmsKeyId(string? kmsKeyId) =>
        TryGetForKmsKeyId(kmsKeyId, out var wrapper) ? wrapper : throw AwsErrors.InvalidKmsKey();

    /// <summary>The wrapper that unwraps keys stored with <paramref name="keyId"/>; DecryptionFailure when there is none.</summary>
    public IKeyWrapper ForStoredKeyId(string keyId)
    {
        if (keyId.StartsWith(LocalKeyWrapper.KeyIdPrefix, StringComparison.Ordinal))
        {
            return _localKeys.TryGetValue(keyId, out var local) ? local : throw AwsErrors.DecryptionFailure();
        }

        if (TryParseKey(keyId, out var kid) && kid.Version is not null && _allowedVaults.Contains(kid.Container))
        {
            // Any wrapper of the same key unwraps any of its versions; keep one per key.
            return KeyVaultWrapper(kid.Unversioned);
        }

        throw AwsErrors.DecryptionFailure();
    }

    public void Dispose()
    {
        foreach (var local in _localKeys.Values)
        {
            local.Dispose();
        }
    }

    /// <summary>
    /// Reads <c>arn:{partition}:kms:{region}:{account}:alias/{name}</c> as <c>alias/{name}</c>;
    /// the region and account are this service's own, so they are not compared.
    /// </summary>
    private static string? AliasFromArn(string kmsKeyId)
    {
        var parts = kmsKeyId.Split(':', 6);
        return parts.Length == 6 && parts[0] == "arn" && parts[2] == "kms" && parts[5].StartsWith("alias/", StringComparison.Ordinal)
            ? parts[5]
            : null;
    }

    private static Dictionary<string, string> AliasEntries(EncryptionOptions options)
    {
        var merged = new Dictionary<string, string>(options.Aliases, StringComparer.Ordinal);
        foreach (var entry in (options.AliasMap ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == entry.Length - 1)
            {
                throw new InvalidOperationException($"{EncryptionOptions.SectionName}:AliasMap must be 'alias/name=target' entries separated by ';'.");
            }

            merged[entry[..equals].Trim()] = entry[(equals + 1)..].Trim();
        }

        return merged;
    }

    private IKeyWrapper Target(string? target, string settingName, LocalKeyWrapper? currentLocal)
    {
        if (string.Equals(target?.Trim(), EncryptionOptions.LocalTarget, StringComparison.OrdinalIgnoreCase))
        {
            return currentLocal ?? throw new InvalidOperationException(
                $"{settingName} names the local key, but {EncryptionOptions.SectionName}:LocalKey is not set (base64 of 32 random bytes).");
        }

        if (_keyVault is null)
        {
            throw new InvalidOperationException($"{settingName} is not 'local', and no Key Vault client was configured for a key URI.");
        }

        if (!TryParseKey(target?.Trim(), out var keyId))
        {
            throw new InvalidOperationException($"{settingName} must be 'local' or a Key Vault key URI (https://{{vault}}.vault.azure.net/keys/{{name}}).");
        }

        // A configured key's vault is trusted: its other keys and versions may be named too.
        _allowedVaults.Add(keyId.Container);
        return KeyVaultWrapper(keyId);
    }

    private bool TryParseKey(string? value, [NotNullWhen(true)] out KeyReference? key)
    {
        key = null;
        return _keyVault is not null && _keyVault.TryParseKey(value, out key);
    }

    private IKeyWrapper KeyVaultWrapper(KeyReference keyId)
    {
        if (_keyVaultWrappers.TryGetValue(keyId, out var existing))
        {
            return existing;
        }

        var created = _keyVault!.Create(keyId);
        return _keyVaultWrappers.Count < MaxDynamicWrappers ? _keyVaultWrappers.GetOrAdd(keyId, created) : created;
    }
}
