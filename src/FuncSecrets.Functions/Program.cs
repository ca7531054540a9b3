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
host.Services.StartFuncSecrets();
await host.RunAsync();
