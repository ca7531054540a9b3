namespace FuncSecrets.Core.Crypto;

/// <summary>
/// A key held by an external key service, as that service's adapter parsed it from a key id
/// (see <see cref="IKeyWrapperFactory.TryParseKey"/>). Core compares, caches and allow-lists these
/// but never reads the service's id grammar: <see cref="Container"/> is the trust boundary (for
/// Key Vault, the vault's origin), <see cref="Name"/> the key within it, <see cref="Version"/> null
/// for "the current version". Names and versions compare case-insensitively, containers exactly
/// (the adapter normalizes them).
/// </summary>
public sealed record KeyReference(string Container, string Name, string? Version)
{
    /// <summary>The same key without a version: the one wrapper that unwraps every version of it.</summary>
    public KeyReference Unversioned => Version is null ? this : this with { Version = null };

    public bool Equals(KeyReference? other) =>
        other is not null
        && string.Equals(Container, other.Container, StringComparison.Ordinal)
        && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Version, other.Version, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(
        StringComparer.Ordinal.GetHashCode(Container),
        StringComparer.OrdinalIgnoreCase.GetHashCode(Name),
        Version is null ? 0 : StringComparer.OrdinalIgnoreCase.GetHashCode(Version));
}
