using System.Text.Json;
using FuncSecrets.Core.Errors;
using FuncSecrets.Host.Protocol.Json;

namespace FuncSecrets.Host.Protocol;

/// <summary>
/// The one place error responses are made: status, <c>x-amzn-RequestId</c>, and the JSON 1.1
/// body <c>{"__type":"Code","Message":"text"}</c> (or the Query protocol's XML document).
/// </summary>
public static class ErrorWriter
{
    public const string JsonContentType = "application/x-amz-json-1.1";

    public static async Task WriteJsonAsync(HttpContext context, AwsException error)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = error.StatusCode;
        response.ContentType = JsonContentType;
        response.Headers["x-amzn-ErrorType"] = error.Code;
        var body = JsonSerializer.SerializeToUtf8Bytes(new ErrorBody { Type = error.Code, Message = error.Message }, ApiJsonContext.Wire.ErrorBody);
        response.ContentLength = body.Length;
        await WriteBodyAsync(context, body);
    }

    /// <summary>
    /// Writes an error body, except to HEAD, whose answer carries none (RFC 9110 §9.3.2): there
    /// the status, <c>x-amzn-ErrorType</c> and <c>x-amzn-RequestId</c> are the error's shape, as
    /// botocore reads them from the headers when the body is empty (issue 11). Not every server
    /// drops a HEAD body for us (TestServer, a relaying Functions host do not).
    /// </summary>
    public static Task WriteBodyAsync(HttpContext context, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(context);
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
