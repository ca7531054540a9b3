using System.Buffers;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Host.Protocol;

/// <summary>Reads a request body whole, refusing bodies over a limit with an AWS-shaped error.</summary>
public static class BodyReader
{
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpContext context, int maxBytes)
    {
        var declared = context.Request.ContentLength;
        if (declared > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Clamp(declared ?? 4096, 256, maxBytes));
        var stream = context.Request.Body;
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            int read;
            try
            {
                read = await stream.ReadAsync(memory, context.RequestAborted);
            }
            catch (BadHttpRequestException error)
            {
                // Kestrel's own limits and framing checks (a chunked body past the limit, a broken
                // chunk): the caller's fault, answered in the AWS shape rather than as a bug.
                throw error.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? TooLarge(maxBytes)
                    : AwsErrors.Serialization("The request body could not be read.");
            }

            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
        }

        return buffer.WrittenMemory;
    }

    private static AwsException TooLarge(int maxBytes) =>
        new(AwsErrorCodes.Serialization, $"The request body is larger than {maxBytes} bytes.", 413);
}
