using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FuncSecrets.Host.Protocol.Json;

/// <summary>
/// Writes a JSON answer through a buffer each thread keeps (issue 15), instead of a new array per
/// response: the value is serialized synchronously, its length becomes <c>Content-Length</c>, the
/// bytes are copied into the response's pipe, and the buffer is wiped before anything awaits, so
/// no answer (which may hold a secret value) stays behind in it. The bytes are the ones
/// <see cref="JsonSerializer.SerializeToUtf8Bytes(object?, JsonTypeInfo)"/> makes: the writer takes
/// its encoder, indentation and depth from the type's options.
/// </summary>
public static class PooledJsonAnswer
{
    // A buffer grown past this by a large answer (a ListSecrets page, a batch of values) is let go.
    private const int MaxKeptBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    [ThreadStatic]
    private static JsonSerializerOptions? t_writerOptions;

    /// <summary>Serializes <paramref name="value"/> as the whole body of <paramref name="response"/> and flushes it.</summary>
    public static Task WriteAsync(HttpResponse response, object? value, JsonTypeInfo typeInfo, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(typeInfo);
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(4096);
        t_buffer = null;
        try
        {
            JsonSerializer.Serialize(Writer(buffer, typeInfo.Options), value, typeInfo);
            response.ContentLength = buffer.WrittenCount;
            response.BodyWriter.Write(buffer.WrittenSpan);
        }
        finally
        {
            buffer.Clear();
            if (buffer.Capacity <= MaxKeptBytes)
            {
                t_buffer = buffer;
            }
        }

        return response.BodyWriter.FlushAsync(cancellationToken).AsTask();
    }

    private static Utf8JsonWriter Writer(ArrayBufferWriter<byte> buffer, JsonSerializerOptions options)
    {
        if (t_writer is { } writer && ReferenceEquals(t_writerOptions, options))
        {
            writer.Reset(buffer);
            return writer;
        }

        t_writerOptions = options;
        return t_writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Encoder = options.Encoder,
            Indented = options.WriteIndented,
            MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth,
            SkipValidation = true,
        });
    }
}
