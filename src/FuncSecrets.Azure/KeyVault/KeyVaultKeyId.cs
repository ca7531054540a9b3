using System.Diagnostics.CodeAnalysis;

using FuncSecrets.Core.Crypto;

namespace FuncSecrets.Azure.KeyVault;

/// <summary>
/// A Key Vault (or Managed HSM) key identifier, <c>https://{vault-host}/keys/{name}[/{version}]</c>,
/// parsed strictly: it becomes the URL we POST data keys to, so nothing else may pass.
/// </summary>
public sealed class KeyVaultKeyId : IEquatable<KeyVaultKeyId>
{
    private KeyVaultKeyId(string vault, string name, string? version)
    {
        Vault = vault;
        Name = name;
        Version = version;
    }

    /// <summary>The vault's origin, lower case, no trailing slash: <c>https://myvault.vault.azure.net</c>.</summary>
    public string Vault { get; }

    /// <summary>The key name (1-127 of <c>0-9 a-z A-Z -</c>).</summary>
    public string Name { get; }

    /// <summary>The key version, or null for "the current version".</summary>
    public string? Version { get; }

    /// <summary>The id without its version: <c>https://{vault-host}/keys/{name}</c>.</summary>
    public string BaseId => $"{Vault}/keys/{Name}";

    /// <summary>True when <paramref name="other"/> names the same key in the same vault (any version).</summary>
    public bool IsSameKey(KeyVaultKeyId other) =>
        string.Equals(Vault, other.Vault, StringComparison.Ordinal) &&
        string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>This key at <paramref name="version"/>.</summary>
    public KeyVaultKeyId WithVersion(string? version) => new(Vault, Name, version);

    public override string ToString() => Version is null ? BaseId : $"{BaseId}/{Version}";

    /// <summary>The neutral form Core compares and allow-lists.</summary>
    public KeyReference ToReference() => new(Vault, Name, Version);

    /// <summary>Back from the neutral form; only references this adapter made exist.</summary>
    public static KeyVaultKeyId FromReference(KeyReference key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new KeyVaultKeyId(key.Container, key.Name, key.Version);
    }

    public bool Equals(KeyVaultKeyId? other) =>
        other is not null && IsSameKey(other) && string.Equals(Version, other.Version, StringComparison.OrdinalIgnoreCase);

    public override bool Equals(object? obj) => Equals(obj as KeyVaultKeyId);

    public override int GetHashCode() =>
        HashCode.Combine(Vault, StringComparer.OrdinalIgnoreCase.GetHashCode(Name), Version is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(Version));

    /// <summary>
    /// Parses a key identifier. Only <c>https</c>, no user info, query or fragment, and exactly the
    /// path <c>/keys/{name}</c> or <c>/keys/{name}/{version}</c> (Key Vault's object identifier
    /// format; names are 1-127 alphanumerics and dashes, versions 32 hex digits in practice).
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out KeyVaultKeyId? keyId)
    {
        keyId = null;
        // Uri would quietly resolve "/./", "/../", "\" and %-escapes; a key id never needs them.
        if (string.IsNullOrEmpty(value) || value.Length > 2048 ||
            value.Contains("/.", StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal) || value.Contains('%', StringComparison.Ordinal) ||
            !Uri.TryCreate(value, UriKind.Absolute, out var uri) ||
            uri.Scheme != Uri.UriSchemeHttps ||
            uri.UserInfo.Length != 0 || uri.Query.Length != 0 || uri.Fragment.Length != 0 ||
            uri.HostNameType is UriHostNameType.Unknown or UriHostNameType.Basic)
        {
            return false;
        }

        var segments = uri.AbsolutePath.Split('/');
        if (segments.Length is not (3 or 4) || segments[0].Length != 0 ||
            !string.Equals(segments[1], "keys", StringComparison.OrdinalIgnoreCase) ||
            !IsName(segments[2]) ||
            (segments.Length == 4 && !IsVersion(segments[3])))
        {
            return false;
        }

        // GetLeftPart lower-cases the host and drops a default port.
        keyId = new KeyVaultKeyId(uri.GetLeftPart(UriPartial.Authority), segments[2], segments.Length == 4 ? segments[3] : null);
        return true;
    }

    /// <summary>The origin (<c>https://host[:port]</c>) of a vault given as a URI or a bare host name.</summary>
    public static bool TryParseVault(string? value, [NotNullWhen(true)] out string? vault)
    {
        vault = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "https://" + text;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps ||
            uri.UserInfo.Length != 0 || uri.Query.Length != 0 || uri.Fragment.Length != 0 ||
            uri.AbsolutePath is not ("/" or ""))
        {
            return false;
        }

        vault = uri.GetLeftPart(UriPartial.Authority);
        return true;
    }

    private static bool IsName(string segment) =>
        segment.Length is >= 1 and <= 127 && segment.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private static bool IsVersion(string segment) =>
        segment.Length is >= 1 and <= 64 && segment.All(char.IsAsciiLetterOrDigit);
}
