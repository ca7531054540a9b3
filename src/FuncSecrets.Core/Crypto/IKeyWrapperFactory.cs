using System.Diagnostics.CodeAnalysis;

namespace FuncSecrets.Core.Crypto;

/// <summary>
/// The seam to an external key service (Key Vault, in FuncSecrets.Azure): it parses that
/// service's key ids into neutral <see cref="KeyReference"/>s, and makes the wrapper for one key.
/// Core decides which containers are allowed; it knows neither the id grammar nor how to call
/// the service.
/// </summary>
public interface IKeyWrapperFactory
{
    /// <summary>
    /// Parses a key id of the service (from configuration, a caller's <c>KmsKeyId</c>, or a stored
    /// row: all untrusted as text), strictly: it will become the address data keys are sent to.
    /// </summary>
    bool TryParseKey(string? value, [NotNullWhen(true)] out KeyReference? key);

    /// <summary>Parses a container (for Key Vault: a vault host name or https origin) as <see cref="KeyReference.Container"/> spells it.</summary>
    bool TryParseContainer(string? value, [NotNullWhen(true)] out string? container);

    /// <summary>
    /// A wrapper for <paramref name="key"/>: it wraps with that key (its current version when
    /// <see cref="KeyReference.Version"/> is null) and unwraps any version of it.
    /// </summary>
    IKeyWrapper Create(KeyReference key);
}
