using FuncSecrets.Core.Errors;
using FuncSecrets.Host.Protocol.Json;

namespace FuncSecrets.Host.Protocol;

/// <summary>
/// The front door of every request: picks the protocol (JSON 1.1 by <c>X-Amz-Target</c>), answers
/// the Functions host's readiness pings, and turns anything else into an AWS-shaped error.
/// </summary>
public sealed class Dispatcher(JsonFrontDoor json)
{
    public static Task DispatchAsync(HttpContext context) =>
        context.RequestServices.GetRequiredService<Dispatcher>().HandleAsync(context);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var target = request.Headers["X-Amz-Target"].ToString();
        if (target.Length > 0)
        {
            if (!HttpMethods.IsPost(request.Method))
            {
                RequestIds.Get(context);
                await ErrorWriter.WriteJsonAsync(context, AwsErrors.UnknownOperation());
                return;
            }

            // Secret values in answers must never be kept by a browser or proxy cache (issue 16).
            context.Response.Headers.CacheControl = "no-store";

            // CloudTrail's LookupEvents over the audit trail (issue 16).
            if (CloudTrail.CloudTrailFrontDoor.Accepts(target))
            {
                await context.RequestServices.GetRequiredService<CloudTrail.CloudTrailFrontDoor>().HandleAsync(context, target);
                return;
            }

            await json.HandleAsync(context, target);
            return;
        }

        // The web console's pages under /console (issue 16); false when it is off or the path is another.
        if (await context.RequestServices.GetRequiredService<WebConsole.ConsoleEndpoint>().TryHandleAsync(context))
        {
            return;
        }

        // Query protocol (issue 6): Action= in the query string, or a form-encoded POST body.
        if (Query.QueryFrontDoor.Accepts(request))
        {
            context.Response.Headers.CacheControl = "no-store"; // a GET's answer may hold a value (issue 16)
            await context.RequestServices.GetRequiredService<Query.QueryFrontDoor>().HandleAsync(context);
            return;
        }

        if ((HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && request.Path == "/" && !request.QueryString.HasValue)
        {
            // The Functions host's readiness ping (and a load balancer's): unsigned, cheap, unlogged.
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        RequestIds.Get(context);
        await ErrorWriter.WriteJsonAsync(context, AwsErrors.UnknownOperation());
    }
}
