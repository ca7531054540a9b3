using System.Security.Cryptography;

namespace FuncSecrets.Core.Crypto;

/// <summary>
/// The source of data keys and nonces. Injected so known-answer tests can fix both; production
/// uses <see cref="SystemCryptoRandom"/>.
/// </summary>
public interface ICryptoRandom
{
    /// <summary>Fills <paramref name="buffer"/> with cryptographically strong random bytes.</summary>
    void Fill(Span<byte> buffer);
}

/// <summary>The operating system's CSPRNG (<see cref="RandomNumberGenerator"/>).</summary>
public sealed class SystemCryptoRandom : ICryptoRandom
{
    public static SystemCryptoRandom Instance { get; } = new();

    public void Fill(Span<byte> buffer) => RandomNumberGenerator.Fill(buffer);
}
