using FuncSecrets.Core.Errors;

namespace FuncSecrets.Host.Protocol.Query;

/// <summary>
/// Writes an <see cref="AwsException"/> as the Query protocol's <c>ErrorResponse</c> document: the
/// same status and code as the JSON door would send, <c>Sender</c> for a client fault and
/// <c>Receiver</c> for a server fault. The XML twin of <see cref="ErrorWriter.WriteJsonAsync"/>.
/// </summary>
public static class QueryErrorWriter
{
    public static async Task WriteAsync(HttpContext context, AwsException error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        var body = QueryXmlWriter.Error(error, RequestIds.Get(context));
        response.StatusCode = error.StatusCode;
        response.ContentType = QueryXmlWriter.ContentType;
        response.Headers["x-amzn-ErrorType"] = error.Code;
        response.ContentLength = body.Length;
        await ErrorWriter.WriteBodyAsync(context, body);
    }
}
