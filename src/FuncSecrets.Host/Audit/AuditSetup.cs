using System.Globalization;
using Azure.Identity;
using Azure.Storage.Blobs;
using FuncSecrets.Azure.Audit;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core;
using FuncSecrets.Core.Audit;

namespace FuncSecrets.Host.Audit;

/// <summary>
/// The audit trail: records are batched off the request path and written as CloudTrail log files
/// to a blob container (<c>FuncSecrets:Audit:ContainerName</c>, default <c>cloudtrail</c>) of the
/// storage account <c>FuncSecrets:Storage</c> names: its connection string, or
/// <c>FuncSecrets:Audit:BlobEndpoint</c> (default: the table endpoint's account) with the app's
/// managed identity. A batch is written at <c>FuncSecrets:Audit:BatchRecords</c> records
/// (default 1000) or <c>FuncSecrets:Audit:BatchSeconds</c> (default 30) after its first record.
/// </summary>
public static class AuditSetup
{
    public const string ContainerNameKey = "FuncSecrets:Audit:ContainerName";
    public const string BlobEndpointKey = "FuncSecrets:Audit:BlobEndpoint";
    public const string BatchRecordsKey = "FuncSecrets:Audit:BatchRecords";
    public const string BatchSecondsKey = "FuncSecrets:Audit:BatchSeconds";

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var container = configuration[ContainerNameKey] ?? "cloudtrail";
        var blobEndpoint = configuration[BlobEndpointKey];
        var batching = new AuditBatchOptions();
        if (int.TryParse(configuration[BatchRecordsKey], NumberStyles.None, CultureInfo.InvariantCulture, out var records) && records > 0)
        {
            batching.MaxRecords = records;
        }

        if (double.TryParse(configuration[BatchSecondsKey], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            batching.MaxDelay = TimeSpan.FromSeconds(seconds);
        }

        services.AddSingleton(batching);
        services.AddSingleton<IAuditStore>(sp =>
        {
            var options = sp.GetRequiredService<TableStoreOptions>();
            var service = sp.GetRequiredService<ServiceOptions>();
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger("FuncSecrets.Audit");

            // Opened on first use: storage that is down at start-up delays audit writes (the
            // records spill to the log) instead of failing start-up or requests.
            return new DeferredAuditStore(async ct => await BlobAuditStore.CreateAsync(Container(options, blobEndpoint, container), service, logger, ct));
        });
        services.AddSingleton<BufferedAuditSink>();
        services.AddSingleton<IAuditSink>(sp => sp.GetRequiredService<BufferedAuditSink>());
        services.AddSingleton<AuditTrail>();
    }

    private static BlobContainerClient Container(TableStoreOptions options, string? blobEndpoint, string container)
    {
        var clientOptions = BlobAuditStore.ClientOptions();
        if (options.ConnectionString is { } connectionString)
        {
            return new BlobServiceClient(connectionString, clientOptions).GetBlobContainerClient(container);
        }

        var endpoint = blobEndpoint is not null
            ? new Uri(blobEndpoint)
            : options.TableEndpoint is { } table && table.Host.Contains(".table.", StringComparison.Ordinal)
                ? new UriBuilder(table) { Host = table.Host.Replace(".table.", ".blob.", StringComparison.Ordinal), Query = string.Empty }.Uri
                : throw new InvalidOperationException($"Set {BlobEndpointKey} (the audit trail's Blob endpoint).");
        return new BlobServiceClient(endpoint, new DefaultAzureCredential(), clientOptions).GetBlobContainerClient(container);
    }
}
