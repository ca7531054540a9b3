using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

// An empty isolated worker: the SDK's builder with ASP.NET Core integration, as
// src/FuncSecrets.Functions starts, and one HTTP function. The start-up phase times it under the
// stand-in Functions host beside the real worker (issue 15).
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
using var host = builder.Build();
await host.RunAsync();

namespace FuncSecrets.Bench.EmptyWorker
{
    /// <summary>Answers every request 200 "ok".</summary>
    public static class Ping
    {
        [Function("Ping")]
        public static Task RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "{*path}")] HttpRequest request)
        {
            ArgumentNullException.ThrowIfNull(request);
            return request.HttpContext.Response.WriteAsync("ok");
        }
    }
}
