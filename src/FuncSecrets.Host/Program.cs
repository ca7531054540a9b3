using FuncSecrets.Host.Hosting;

// Standalone (`dotnet run`) or as an Azure Functions custom handler: AppFactory decides.
await AppFactory.Create(args).RunAsync();
