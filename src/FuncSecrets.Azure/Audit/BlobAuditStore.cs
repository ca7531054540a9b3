using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using FuncSecrets.Core;
using FuncSecrets.Core.Audit;
using FuncSecrets.Core.Audit.Lookup;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Azure.Audit;

/// <summary>
/// The audit trail as CloudTrail log files in a blob container: gzip JSON <c>{"Records":[...]}</c>
/// under CloudTrail's path convention,
/// <c>AWSLogs/&lt;account&gt;/CloudTrail/&lt;region&gt;/YYYY/MM/DD/&lt;account&gt;_CloudTrail_&lt;region&gt;_YYYYMMDDTHHmmZ_&lt;unique&gt;.json.gz</c>.
/// Each file holds the records of one five-minute period (the time in its name is the period's
/// start), so an hour's records are exactly the files whose names carry that hour: reading a
/// time range lists one name prefix per hour. One batch of records costs one upload per period
/// it spans, not one storage operation per call.
/// </summary>
public sealed partial class BlobAuditStore : IAuditStore
{
    /// <summary>The period one file covers; divides an hour, so no file straddles two.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(5);

    private const string UniqueAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private readonly BlobContainerClient _container;
    private readonly ServiceOptions _service;
    private readonly ILogger _logger;

    private BlobAuditStore(BlobContainerClient container, ServiceOptions service, ILogger logger)
    {
        _container = container;
        _service = service;
        _logger = logger;
    }

    /// <summary>Opens the store, creating its container when missing.</summary>
    public static async Task<BlobAuditStore> CreateAsync(BlobContainerClient container, ServiceOptions service, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return new BlobAuditStore(container, service, logger);
    }

    /// <summary>Client options for the audit container: no per-call SDK logging or tracing, short retries.</summary>
    public static BlobClientOptions ClientOptions()
    {
        var options = new BlobClientOptions();
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        options.Diagnostics.IsTelemetryEnabled = false;
        options.Retry.MaxRetries = 2;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return options;
    }

    /// <summary>The folder of one UTC day: <c>AWSLogs/&lt;account&gt;/CloudTrail/&lt;region&gt;/YYYY/MM/DD/</c>.</summary>
    public string DayFolder(DateTimeOffset time) =>
        string.Create(CultureInfo.InvariantCulture, $"AWSLogs/{_service.AccountId}/CloudTrail/{_service.Region}/{time.UtcDateTime:yyyy'/'MM'/'dd}/");

    /// <summary>The name of a file covering the period that starts at <paramref name="periodStart"/>.</summary>
    public string FileName(DateTimeOffset periodStart, string unique) =>
        string.Create(CultureInfo.InvariantCulture, $"{HourPrefix(periodStart)}{periodStart.UtcDateTime:mm}Z_{unique}.json.gz");

    public async Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var period in records.OrderBy(r => r.EventTime.UtcTicks).GroupBy(r => PeriodStart(r.EventTime)))
        {
            var content = Compress(period);
            var name = FileName(period.Key, UniquePart(period.Key, period.First().EventTime));
            var options = new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-gzip" },
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            };
            await _container.GetBlobClient(name).UploadAsync(content, options, cancellationToken);
        }
    }

    public async IAsyncEnumerable<AuditRecord> ReadAsync(DateTimeOffset since, DateTimeOffset until, string? secret, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var utc = since.UtcDateTime;
        var hour = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
        for (; hour <= until; hour = hour.AddHours(1))
        {
            // Files in name order, records in file order, then a stable sort by time: the same
            // order on every read, which the lookup's page positions rely on.
            var records = new List<AuditRecord>();
            await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = HourPrefix(hour) }, cancellationToken))
            {
                if (PeriodOf(blob.Name) is not { } start || start + Period <= since || start > until)
                {
                    continue;
                }

                foreach (var record in await ReadFileAsync(blob.Name, cancellationToken))
                {
                    if (record.EventTime >= since && record.EventTime <= until && (secret is null || AuditMatch.IsAbout(record, secret)))
                    {
                        records.Add(record);
                    }
                }
            }

            foreach (var record in records.OrderBy(r => r.EventTime.UtcTicks))
            {
                yield return record;
            }
        }
    }

    /// <summary>The records of one file; a file that is not CloudTrail gzip JSON is skipped and logged.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ReadFileAsync(string name, CancellationToken cancellationToken)
    {
        var records = new List<AuditRecord>();
        try
        {
            var download = await _container.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken);
            await using var body = download.Value.Content;
            await using var unzipped = new GZipStream(body, CompressionMode.Decompress);
            using var document = await JsonDocument.ParseAsync(unzipped, cancellationToken: cancellationToken);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("Records", out var list)
                && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (CloudTrailRecords.Read(item) is { } record)
                    {
                        records.Add(record);
                    }
                }
            }
        }
        catch (Exception error) when (error is JsonException or InvalidDataException)
        {
            LogUnreadableFile(_logger, error, name);
        }

        return records;
    }

    /// <summary>
    /// CloudTrail's unique part of a file name, 16 characters: 7 that sort (ordinally) by the time
    /// of the file's first record within its period, then 9 random ones. Files of one period thus
    /// list in the order they were written, and a reader that keeps file order keeps call order
    /// between records whose second-granular eventTime is equal.
    /// </summary>
    internal static string UniquePart(DateTimeOffset periodStart, DateTimeOffset firstRecord)
    {
        const string Sortable = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var offset = Math.Clamp(firstRecord.UtcTicks - periodStart.UtcTicks, 0, Period.Ticks - 1);
        Span<char> text = stackalloc char[16];
        for (var i = 6; i >= 0; i--)
        {
            text[i] = Sortable[(int)(offset % Sortable.Length)];
            offset /= Sortable.Length;
        }

        RandomNumberGenerator.GetItems(UniqueAlphabet, text[7..]);
        return new string(text);
    }

    private static DateTimeOffset PeriodStart(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - (time.UtcTicks % Period.Ticks);
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    /// <summary>The period start in a file name (<c>..._YYYYMMDDTHHmmZ_...</c>), or null for a foreign name.</summary>
    private DateTimeOffset? PeriodOf(string name)
    {
        var marker = string.Create(CultureInfo.InvariantCulture, $"_CloudTrail_{_service.Region}_");
        var at = name.LastIndexOf(marker, StringComparison.Ordinal);
        return at >= 0
            && name.Length >= at + marker.Length + 14
            && DateTimeOffset.TryParseExact(name.AsSpan(at + marker.Length, 14), "yyyyMMdd'T'HHmm'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var start)
            ? start
            : null;
    }

    private string HourPrefix(DateTimeOffset time) =>
        string.Create(CultureInfo.InvariantCulture, $"{DayFolder(time)}{_service.AccountId}_CloudTrail_{_service.Region}_{time.UtcDateTime:yyyyMMdd'T'HH}");

    private BinaryData Compress(IEnumerable<AuditRecord> records)
    {
        using var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var json = new Utf8JsonWriter(zip))
        {
            json.WriteStartObject();
            json.WriteStartArray("Records");
            foreach (var record in records)
            {
                TrailEvents.WriteEvent(json, record, _service);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return new BinaryData(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    [LoggerMessage(210, LogLevel.Warning, "Skipped audit file {Name}: not CloudTrail gzip JSON")]
    private static partial void LogUnreadableFile(ILogger logger, Exception error, string name);
}
