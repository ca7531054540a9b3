using Azure.Identity;
using FuncSecrets.Azure.Audit;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Audit;

namespace FuncSecrets.Host.Audit;

/// <summary>
/// The audit trail: records go to the structured log at once and, in batches off the request
/// path, to their own table (<c>FuncSecrets:Audit:TableName</c>, default <c>auditlog</c>).
/// </summary>
public static class AuditSetup
{
    public const string TableNameKey = "FuncSecrets:Audit:TableName";

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var table = configuration[TableNameKey] ?? "auditlog";
        services.AddSingleton<IAuditStore>(sp =>
        {
            var options = sp.GetRequiredService<TableStoreOptions>();
            var credential = options.ConnectionString is null ? new DefaultAzureCredential() : null;
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("FuncSecrets.Audit");
            return new DeferredAuditStore(async ct => await TableAuditStore.CreateAsync(options, table, credential, logger, ct));
        });
        services.AddSingleton<BufferedAuditSink>();
        services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<BufferedAuditSink>());
        services.AddSingleton<AuditTrail>();
    }
}
