using Azure.Identity;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Storage;

namespace FuncSecrets.Host.Hosting;

/// <summary>
/// Table Storage from <c>FuncSecrets:Storage</c>, through Azure.Data.Tables: a connection string
/// (account key or SAS; Azurite's <c>UseDevelopmentStorage=true</c> by default), or a table
/// endpoint reached with the SAS in its query string or with the app's managed identity
/// (<c>DefaultAzureCredential</c>). Each storage call has a 2 s budget and a circuit breaker
/// (<see cref="TableStoreOptions"/>).
/// </summary>
public static class StorageSetup
{
    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TableStoreOptions.SectionName).Get<TableStoreOptions>() ?? new TableStoreOptions();
        if (options.ConnectionString is null && options.TableEndpoint is null)
        {
            options.ConnectionString = "UseDevelopmentStorage=true";
        }

        services.AddSingleton(options);
        services.AddSingleton(sp =>
        {
            var credential = options.ConnectionString is null ? new DefaultAzureCredential() : null;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("FuncSecrets.Storage");

            // No I/O here: the tables are created on first use, so the app starts (and answers
            // ServiceUnavailable) while storage is unreachable.
            return TableSecretStore.Open(options, credential, logger);
        });

        // One Table store serves both seams: it creates both tables on first use.
        services.AddSingleton<ISecretStore>(sp => sp.GetRequiredService<TableSecretStore>());
        services.AddSingleton<IDueIndex>(sp => sp.GetRequiredService<TableSecretStore>());
    }
}
