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
        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
