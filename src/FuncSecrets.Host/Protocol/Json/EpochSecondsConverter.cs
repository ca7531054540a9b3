using System.Text.Json;
using System.Text.Json.Serialization;

namespace FuncSecrets.Host.Protocol.Json;

/// <summary>
/// Timestamps on the JSON 1.1 wire: epoch seconds as a JSON number, with milliseconds as the
/// fraction (AWS sends e.g. <c>1523477145.713</c>).
/// </summary>
public sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDecimal(out var seconds))
        {
            throw new JsonException("Timestamp must be a number of seconds since the epoch.");
        }

        try
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Round(seconds * 1000m));
        }
        catch (Exception error) when (error is ArgumentOutOfRangeException or OverflowException)
        {
            throw new JsonException("Timestamp out of range.", error);
        }
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.ToUnixTimeMilliseconds() / 1000m);
}
