using FuncSecrets.Host.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// The isolated worker. The Functions host starts this process, connects over gRPC, and forwards
// each HTTP request to the worker's own Kestrel (ASP.NET Core integration), where SecretsApi hands
// it to the same pipeline the standalone server runs.
var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.Configure<KestrelServerOptions>(FuncSecretsSetup.ConfigureLimits);
builder.Services.AddFuncSecrets(builder.Configuration, builder.Environment);

using var host = builder.Build();

// The host waits for the worker to dial back before it sends anything (issue 15, start-up): the
// gRPC handshake starts first, and the configuration is checked while it runs. A mistake still
// ends the worker with the same exception; an invocation that comes before the check is done
// meets the same mistake when its services are built, and fails.
await host.StartAsync();
try
{
    host.Services.StartFuncSecrets();
}
catch
{
    await host.StopAsync();
    throw;
}

await host.WaitForShutdownAsync();
