using FuncSecrets.Core.Errors;
using FuncSecrets.Host.Audit;
using FuncSecrets.Host.Protocol.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace FuncSecrets.Host.Protocol.Query;

/// <summary>
/// The Query protocol ("HTTPS Query API" in the Secrets Manager API reference): <c>GET</c> with
/// <c>Action=&lt;Op&gt;&amp;Version=2017-10-17&amp;...</c> in the query string, or <c>POST</c> with the
/// same parameters form-encoded in the body; signed with SigV4 (header or presigned query);
/// answered with XML. Runs the operations of <see cref="OperationTable"/> through the same
/// decoder metadata, authenticator, request context, handlers and audit trail as the JSON 1.1 door.
/// </summary>
public sealed class QueryFrontDoor(IRequestAuthenticator authenticator, AuditTrail audit, ILogger<QueryFrontDoor> logger)
{
    /// <summary>The only API version there is.</summary>
    public const string ApiVersion = "2017-10-17";

    /// <summary>The same body limit as the JSON door: a 64 KiB value fits either way.</summary>
    public const int MaxBodyBytes = JsonFrontDoor.MaxBodyBytes;

    /// <summary>
    /// Longest request target (path and query) accepted. AWS's reference warns GET is bounded by
    /// URL length and larger requests must be POSTed; proxies commonly stop at 8 KiB.
    /// </summary>
    public const int MaxUrlBytes = 8 * 1024;

    /// <summary>
    /// Kestrel's request-line limit. It must exceed <see cref="MaxUrlBytes"/> (Kestrel's default is
    /// exactly 8 KiB), so that a long GET reaches this door and gets an AWS-shaped error instead
    /// of Kestrel's bare 414. Beyond this, Kestrel still answers 414 itself.
    /// </summary>
    public const int KestrelMaxRequestLineBytes = 64 * 1024;

    private const string FormMediaType = "application/x-www-form-urlencoded";

    /// <summary>
    /// True for a Query request: no <c>X-Amz-Target</c>, and either a GET/POST whose query string
    /// has <c>Action</c>, or a POST with a form-encoded body (where <c>Action</c> is expected).
    /// </summary>
    public static bool Accepts(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.ContainsKey("X-Amz-Target"))
        {
            return false;
        }

        var isPost = HttpMethods.IsPost(request.Method);
        return (isPost && IsForm(request)) || ((isPost || HttpMethods.IsGet(request.Method)) && request.Query.ContainsKey(QueryParameters.ActionName));
    }

    public Task HandleAsync(HttpContext context) =>
        FrontDoorCall.RunAsync(context, logger, audit, "Query", AnswerAsync, QueryErrorWriter.WriteAsync);

    private async Task AnswerAsync(FrontDoorCall call)
    {
        var http = call.Http;
        var request = http.Request;
        var target = RawTarget(request);
        if (target.Length > MaxUrlBytes)
        {
            throw AwsErrors.QueryUrlTooLong(target.Length, MaxUrlBytes);
        }

        // The body is read whole even when it carries no parameters: SigV4 signs its hash.
        var body = await BodyReader.ReadAsync(http, MaxBodyBytes);
        var parameters = QueryParameters.From(request.QueryString.Value ?? string.Empty, IsForm(request) ? body.Span : default);
        var operation = Resolve(parameters, call);

        call.Caller = await authenticator.AuthenticateAsync(http, body, http.RequestAborted);
        call.Input = QueryDecoder.Decode(parameters, operation);
        call.Output = await operation.ExecuteAsync(http.RequestServices, call.Input, call.ContextFor(operation), http.RequestAborted);

        var xml = QueryXmlWriter.Response(operation, call.Output, call.RequestId);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = QueryXmlWriter.ContentType;
        http.Response.ContentLength = xml.Length;
        await http.Response.Body.WriteAsync(xml, http.RequestAborted);
    }

    /// <summary>Action and Version, checked in that order, as AWS's Query front ends do.</summary>
    private static OperationEntry Resolve(QueryParameters parameters, FrontDoorCall call)
    {
        var action = parameters.Single(QueryParameters.ActionName);
        if (string.IsNullOrEmpty(action))
        {
            throw AwsErrors.MissingAction();
        }

        // Only a known name goes to the log and the audit: the text of an unknown one is the caller's.
        if (OperationTable.Operations.TryGetValue(action, out var operation))
        {
            call.Resolved(operation);
        }

        var version = parameters.Single(QueryParameters.VersionName);
        if (string.IsNullOrEmpty(version))
        {
            throw AwsErrors.MissingParameter(QueryParameters.VersionName);
        }

        if (!string.Equals(version, ApiVersion, StringComparison.Ordinal))
        {
            throw AwsErrors.NoSuchVersion(Shown(version));
        }

        return operation ?? throw AwsErrors.InvalidAction(Shown(action), ApiVersion);
    }

    private static bool IsForm(HttpRequest request) =>
        HttpMethods.IsPost(request.Method)
        && MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.MediaType.Equals(FormMediaType, StringComparison.OrdinalIgnoreCase);

    // Kestrel keeps the target as it came off the wire; other servers (TestServer) do not set it.
    private static string RawTarget(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        return string.IsNullOrEmpty(raw)
            ? request.PathBase.Add(request.Path).ToUriComponent() + request.QueryString.ToUriComponent()
            : raw;
    }

    /// <summary>Caller text echoed in an error, cut short so a huge parameter is not reflected whole.</summary>
    private static string Shown(string text) => text.Length <= 64 ? text : text[..64] + "...";
}
