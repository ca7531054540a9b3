using FuncSecrets.Host.Audit;
using FuncSecrets.Server;

// The standalone server: `dotnet FuncSecrets.Server.dll` listens on FuncSecrets:Urls.
// `FuncSecrets.Server audit --since 1h [--secret NAME] [--json]` prints the audit trail instead.
// The reader needs only the storage settings, so it starts before (and without) the service.
if (AuditCommand.IsInvoked(args))
{
    return await AuditCommand.RunAsync(args, Console.Out);
}

var app = AppFactory.Create(args);
await app.RunAsync();
return 0;
