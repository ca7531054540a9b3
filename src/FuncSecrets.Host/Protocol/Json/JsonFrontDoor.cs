using System.Text.Json;
using FuncSecrets.Core.Errors;
using FuncSecrets.Host.Audit;

namespace FuncSecrets.Host.Protocol.Json;

/// <summary>
/// The JSON 1.1 protocol: <c>POST /</c> with <c>X-Amz-Target: secretsmanager.&lt;Op&gt;</c> and a JSON
/// body; the answer is JSON with the same content type, or the AWS error shape.
/// </summary>
public sealed class JsonFrontDoor(IRequestAuthenticator authenticator, AuditTrail audit, ILogger<JsonFrontDoor> logger)
{
    /// <summary>Bodies beyond this are refused before parsing (a 64 KiB value is ~88 KiB as base64).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    public Task HandleAsync(HttpContext context, string target) =>
        FrontDoorCall.RunAsync(context, logger, audit, "UnknownOperation", call => AnswerAsync(call, target), ErrorWriter.WriteJsonAsync);

    private async Task AnswerAsync(FrontDoorCall call, string target)
    {
        var known = target.StartsWith(OperationTable.TargetPrefix, StringComparison.Ordinal);

        // Only a known name reaches the log and the audit: an unknown one is the caller's text.
        if (!known || !OperationTable.Operations.TryGetValue(target[OperationTable.TargetPrefix.Length..], out var operation))
        {
            throw AwsErrors.UnknownOperation();
        }

        await AnswerAsync(call, operation, authenticator, MaxBodyBytes);
    }

    /// <summary>
    /// Runs one known operation over JSON 1.1: reads the body, authenticates, decodes, executes
    /// and writes the answer. CloudTrail's door (LookupEvents, issue 16) runs through it too.
    /// </summary>
    public static async Task AnswerAsync(FrontDoorCall call, OperationEntry operation, IRequestAuthenticator authenticator, int maxBodyBytes)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(authenticator);
        var http = call.Http;
        call.Resolved(operation);
        var body = await BodyReader.ReadAsync(http, maxBodyBytes);
        call.Caller = await authenticator.AuthenticateAsync(http, body, http.RequestAborted);
        call.Input = Decode(body, operation);
        call.Output = await operation.ExecuteAsync(http.RequestServices, call.Input, call.ContextFor(operation), http.RequestAborted);

        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = ErrorWriter.JsonContentType;
        await PooledJsonAnswer.WriteAsync(http.Response, call.Output, operation.ResponseInfo, http.RequestAborted);
    }

    /// <summary>
    /// Parses the body into the operation's request shape. The decoder that meets bad JSON owns
    /// the 4xx: no JsonException goes further.
    /// </summary>
    public static object Decode(ReadOnlyMemory<byte> body, OperationEntry operation)
    {
        var span = body.Span.Trim(" \t\r\n"u8);
        if (span.IsEmpty)
        {
            span = "{}"u8;
        }

        if (span[0] != (byte)'{')
        {
            throw AwsErrors.Serialization("Start of structure or map expected.");
        }

        try
        {
            return JsonSerializer.Deserialize(span, operation.RequestInfo)
                ?? throw AwsErrors.Serialization("Start of structure or map expected.");
        }
        catch (JsonException error)
        {
            throw AwsErrors.Serialization(DescribeJsonError(error));
        }
        catch (Exception error) when (error is InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
        {
            throw AwsErrors.Serialization("The request body could not be read as this operation's input.");
        }
    }

    /// <summary>Where the JSON went wrong, without echoing any of its content (it may hold a secret).</summary>
    private static string DescribeJsonError(JsonException error) =>
        error.Path is { Length: > 1 } path
            ? $"Unable to parse the request: unexpected value at '{path.TrimStart('$', '.')}'."
            : "Unable to parse the request: the body is not valid JSON.";
}
