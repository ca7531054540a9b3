using FuncSecrets.Host.Audit;
using FuncSecrets.Server;

// The standalone server: `dotnet FuncSecrets.Server.dll` listens on FuncSecrets:Urls.
// `FuncSecrets.Server audit --since 1h [--secret NAME] [--json]` prints the audit trail instead.
var app = AppFactory.Create(args);
if (AuditCommand.IsInvoked(args))
{
    return await AuditCommand.RunAsync(args, app.Services, Console.Out);
}

await app.RunAsync();
return 0;
