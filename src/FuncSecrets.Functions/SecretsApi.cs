using FuncSecrets.Host.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace FuncSecrets.Functions;

/// <summary>
/// Every HTTP request to the app: anonymous at the Functions level (SigV4 is the
/// authentication), route <c>{*path}</c> under host.json's empty route prefix, so the app's root
/// URL is an SDK's endpoint and every other path (<c>/console</c> included) reaches the pipeline
/// too. With ASP.NET Core integration the function receives the worker's own
/// <see cref="HttpContext"/> and the pipeline writes the response to it directly.
/// </summary>
public sealed class SecretsApi(Dispatcher dispatcher)
{
    [Function(FunctionNames.SecretsApi)]
    public Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "head", Route = "{*path}")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return dispatcher.HandleAsync(request.HttpContext);
    }
}
