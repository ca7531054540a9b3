using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace FuncSecrets.Azure.KeyVault;

/// <summary>
/// The bodies of Key Vault's key operations (REST reference, "Wrap Key" / "Unwrap Key"):
/// request <c>{"alg":"RSA-OAEP-256","value":"&lt;base64url&gt;"}</c> (KeyOperationsParameters),
/// result <c>{"kid":"&lt;versioned key id&gt;","value":"&lt;base64url&gt;"}</c> (KeyOperationResult).
/// Key bytes never pass through a <see cref="string"/>, which could not be zeroed.
/// </summary>
internal static class KeyOperationJson
{
    /// <summary>The request body; holds key material, so the caller zeroes it after sending.</summary>
    public static byte[] WriteRequest(string algorithm, ReadOnlySpan<byte> value)
    {
        var encoded = new byte[Base64Url.GetEncodedLength(value.Length)];
        var buffer = new ArrayBufferWriter<byte>(encoded.Length + 64);
        try
        {
            Base64Url.EncodeToUtf8(value, encoded);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("alg"u8, algorithm);
                writer.WriteString("value"u8, encoded);
                writer.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encoded);
            buffer.Clear();
        }
    }

    /// <summary>Reads <c>kid</c> and the decoded <c>value</c>; false when either is missing or malformed.</summary>
    public static bool TryReadResult(ReadOnlySpan<byte> json, out string? kid, out byte[]? value)
    {
        kid = null;
        value = null;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKid = reader.ValueTextEquals("kid"u8);
                var isValue = reader.ValueTextEquals("value"u8);
                reader.Read();
                if (isKid && reader.TokenType == JsonTokenType.String)
                {
                    kid = reader.GetString();
                }
                else if (isValue && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped)
                {
                    ZeroAndClear(ref value);
                    value = Base64Url.DecodeFromUtf8(reader.ValueSpan);
                }
                else
                {
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            ZeroAndClear(ref value);
            return false;
        }

        if (kid is null || value is null)
        {
            ZeroAndClear(ref value);
            return false;
        }

        return true;
    }

    /// <summary>Key Vault's error code from <c>{"error":{"code":"..."}}</c>, for the log.</summary>
    public static string ReadErrorCode(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            var inError = false;
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (!inError && reader.ValueTextEquals("error"u8))
                {
                    inError = true;
                }
                else if (inError && reader.ValueTextEquals("code"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString() ?? "none";
                }
            }
        }
        catch (JsonException)
        {
        }

        return "none";
    }

    private static void ZeroAndClear(ref byte[]? value)
    {
        if (value is not null)
        {
            CryptographicOperations.ZeroMemory(value);
            value = null;
        }
    }
}
