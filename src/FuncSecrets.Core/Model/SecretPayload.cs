using System.Security.Cryptography;
using System.Text;

namespace FuncSecrets.Core.Model;

/// <summary>
/// A secret value as it is sealed: one kind byte ('S' for SecretString, 'B' for SecretBinary)
/// followed by the value's bytes, so the kind is authenticated with the value.
/// </summary>
public static class SecretPayload
{
    private const byte StringKind = (byte)'S';
    private const byte BinaryKind = (byte)'B';

    public static byte[] FromString(string value)
    {
        var bytes = new byte[1 + Encoding.UTF8.GetByteCount(value)];
        bytes[0] = StringKind;
        Encoding.UTF8.GetBytes(value, bytes.AsSpan(1));
        return bytes;
    }

    public static byte[] FromBinary(ReadOnlySpan<byte> value)
    {
        var bytes = new byte[1 + value.Length];
        bytes[0] = BinaryKind;
        value.CopyTo(bytes.AsSpan(1));
        return bytes;
    }

    /// <summary>Splits an opened payload into the string or the binary value.</summary>
    public static (string? SecretString, byte[]? SecretBinary) Read(byte[] payload)
    {
        if (payload.Length == 0)
        {
            throw Errors.AwsErrors.DecryptionFailure();
        }

        return payload[0] switch
        {
            StringKind => (Encoding.UTF8.GetString(payload.AsSpan(1)), null),
            BinaryKind => (null, payload.AsSpan(1).ToArray()),
            _ => throw Errors.AwsErrors.DecryptionFailure(),
        };
    }

    /// <summary>Compares two payloads in constant time (idempotent retries compare values).</summary>
    public static bool SameValue(byte[] a, byte[] b) => CryptographicOperations.FixedTimeEquals(a, b);
}
