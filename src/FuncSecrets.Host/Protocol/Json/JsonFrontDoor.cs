using System.Diagnostics;
using System.Text.Json;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Services;
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

    public async Task HandleAsync(HttpContext context, string target)
    {
        var requestId = RequestIds.Get(context);
        var started = Stopwatch.GetTimestamp();
        var operationName = target.StartsWith(OperationTable.TargetPrefix, StringComparison.Ordinal) ? target[OperationTable.TargetPrefix.Length..] : target;
        OperationEntry? operation = null;
        CallerIdentity? caller = null;
        object? request = null;
        try
        {
            if (!OperationTable.Operations.TryGetValue(operationName, out operation) || !target.StartsWith(OperationTable.TargetPrefix, StringComparison.Ordinal))
            {
                // Only a known name goes to the log and the audit: an unknown one is the caller's text.
                operationName = "UnknownOperation";
                operation = null;
                throw AwsErrors.UnknownOperation();
            }

            var body = await BodyReader.ReadAsync(context, MaxBodyBytes);
            caller = await authenticator.AuthenticateAsync(context, body, context.RequestAborted);
            request = Decode(body, operation);
            var requestContext = new RequestContext
            {
                RequestId = requestId,
                Caller = caller,
                Operation = operation.Name,
                SourceIp = context.Connection.RemoteIpAddress?.ToString(),
                UserAgent = context.Request.Headers.UserAgent.ToString(),
            };

            var response = await operation.ExecuteAsync(context.RequestServices, request, requestContext, context.RequestAborted);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(response, operation.ResponseInfo);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = ErrorWriter.JsonContentType;
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            Log.Answered(logger, operationName, 200, "OK", ElapsedMs(started), requestId);
            await audit.RecordAsync(context, requestId, operation, caller, request, response, null);
        }
        catch (AwsException error)
        {
            Log.Answered(logger, operationName, error.StatusCode, error.Code, ElapsedMs(started), requestId);
            await ErrorWriter.WriteJsonAsync(context, error);
            await audit.RecordAsync(context, requestId, operation, caller, request, null, error);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is no one to answer.
        }
        catch (Exception error)
        {
            // A bug: log it with the request id, answer a fixed message, never the exception text.
            Log.UnhandledError(logger, error, operationName, requestId);
            var internalError = AwsErrors.Internal();
            await ErrorWriter.WriteJsonAsync(context, internalError);
            await audit.RecordAsync(context, requestId, operation, caller, request, null, internalError);
        }
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

    private static long ElapsedMs(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
