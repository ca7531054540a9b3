using FuncSecrets.Host.Audit;
using FuncSecrets.Host.Hosting;

// Standalone (`dotnet run`) or as an Azure Functions custom handler: AppFactory decides.
// `FuncSecrets.Host audit --since 1h [--secret NAME] [--json]` prints the audit trail instead.
var app = AppFactory.Create(args);
if (AuditCommand.IsInvoked(args))
{
    return await AuditCommand.RunAsync(args, app.Services, Console.Out);
}

await app.RunAsync();
return 0;
