using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSecrets.Bench.Infra;

namespace FuncSecrets.Bench.Load;

/// <summary>
/// Raw Table REST calls to Azurite, SharedKey-signed per request exactly as the service's own
/// pipeline signs them, with no client library in between. A point read of a secret's metadata
/// row is the storage floor: the one round trip a GetSecretValue of AWSCURRENT costs.
/// </summary>
public sealed class RawTableClient(AzuriteProcess azurite, string table)
{
    private const string ApiVersion = "2019-02-02";
    private static readonly byte[] Key = Convert.FromBase64String(AzuriteProcess.AccountKey);
    private static readonly MediaTypeWithQualityHeaderValue MinimalMetadata = MediaTypeWithQualityHeaderValue.Parse("application/json;odata=minimalmetadata");

    /// <summary>A GET of one entity, signed now (SharedKey's date must be fresh).</summary>
    public HttpRequestMessage PointRead(string partitionKey, string rowKey) =>
        Signed(HttpMethod.Get, $"/{table}(PartitionKey='{Escape(partitionKey)}',RowKey='{Escape(rowKey)}')", query: null);

    /// <summary>Partition key → the value of <paramref name="property"/> of every entity with the given row key.</summary>
    public async Task<Dictionary<string, string>> FindPartitionsAsync(HttpClient http, string rowKey, string property)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        string? nextPartition = null;
        string? nextRow = null;
        do
        {
            var query = "$filter=" + Uri.EscapeDataString($"RowKey eq '{rowKey}'") + "&$select=PartitionKey," + property;
            if (nextPartition is not null)
            {
                query += "&NextPartitionKey=" + Uri.EscapeDataString(nextPartition) + "&NextRowKey=" + Uri.EscapeDataString(nextRow ?? string.Empty);
            }

            using var response = await http.SendAsync(Signed(HttpMethod.Get, $"/{table}()", query));
            response.EnsureSuccessStatusCode();
            nextPartition = response.Headers.TryGetValues("x-ms-continuation-NextPartitionKey", out var p) ? p.First() : null;
            nextRow = response.Headers.TryGetValues("x-ms-continuation-NextRowKey", out var r) ? r.First() : null;
            using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
            foreach (var entity in json.RootElement.GetProperty("value").EnumerateArray())
            {
                if (entity.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    found[entity.GetProperty("PartitionKey").GetString()!] = value.GetString()!;
                }
            }
        }
        while (!string.IsNullOrEmpty(nextPartition));
        return found;
    }

    /// <summary>An entity as the service stored it, ready to insert again: service-set members (odata.*, Timestamp) removed.</summary>
    public async Task<JsonObject> ReadForCopyAsync(HttpClient http, string partitionKey, string rowKey)
    {
        using var response = await http.SendAsync(PointRead(partitionKey, rowKey));
        response.EnsureSuccessStatusCode();
        var entity = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        foreach (var name in entity.Select(p => p.Key).Where(k => k.StartsWith("odata.", StringComparison.Ordinal) || k.StartsWith("Timestamp", StringComparison.Ordinal)).ToList())
        {
            entity.Remove(name);
        }

        return entity;
    }

    /// <summary>Inserts one entity (a plain Insert Entity: cheaper for Azurite than a one-row transaction).</summary>
    public async Task InsertAsync(HttpClient http, JsonObject entity)
    {
        const string ContentType = "application/json";
        using var request = Signed(HttpMethod.Post, "/" + table, query: null, ContentType);
        request.Headers.TryAddWithoutValidation("Prefer", "return-no-content");
        request.Content = new StringContent(entity.ToJsonString(), Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
        using var response = await http.SendAsync(request);
        if ((int)response.StatusCode != 204)
        {
            throw new InvalidOperationException($"Insert failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// Inserts up to 100 entities of one partition in one entity-group transaction. Each entity is
    /// a list of string properties plus optional Edm.DateTime properties.
    /// </summary>
    public async Task InsertBatchAsync(HttpClient http, IReadOnlyList<IReadOnlyDictionary<string, object>> entities)
    {
        var batch = "batch_" + Guid.NewGuid().ToString("N");
        var changeset = "changeset_" + Guid.NewGuid().ToString("N");
        var body = new StringBuilder()
            .Append("--").Append(batch).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        foreach (var entity in entities)
        {
            body.Append("--").Append(changeset).Append("\r\n")
                .Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                .Append("POST http://127.0.0.1:").Append(azurite.Port).Append('/').Append(AzuriteProcess.AccountName).Append('/').Append(table).Append(" HTTP/1.1\r\n")
                .Append("Content-Type: application/json\r\nAccept: application/json;odata=minimalmetadata\r\nPrefer: return-no-content\r\nDataServiceVersion: 3.0\r\n\r\n")
                .Append(EntityJson(entity)).Append("\r\n");
        }

        body.Append("--").Append(changeset).Append("--\r\n").Append("--").Append(batch).Append("--\r\n");
        var contentType = "multipart/mixed; boundary=" + batch;
        using var request = Signed(HttpMethod.Post, "/$batch", query: null, contentType);
        request.Content = new StringContent(body.ToString(), Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        // A failed changeset still answers 202: the failure is inside the multipart response.
        if ((int)response.StatusCode != 202 || !text.Contains("HTTP/1.1 204", StringComparison.Ordinal) || text.Contains("HTTP/1.1 4", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Batch insert failed: {(int)response.StatusCode} {text[..Math.Min(400, text.Length)]}");
        }
    }

    private static string EntityJson(IReadOnlyDictionary<string, object> entity)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in entity)
            {
                if (value is DateTimeOffset date)
                {
                    writer.WriteString(name + "@odata.type", "Edm.DateTime");
                    writer.WriteString(name, date.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture));
                }
                else
                {
                    writer.WriteString(name, (string)value);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private HttpRequestMessage Signed(HttpMethod method, string path, string? query, string? contentType = null)
    {
        var accountPath = "/" + AzuriteProcess.AccountName + path;
        var uri = new Uri($"http://127.0.0.1:{azurite.Port}{accountPath}{(query is null ? string.Empty : "?" + query)}");
        var message = new HttpRequestMessage(method, uri);
        var date = DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        message.Headers.TryAddWithoutValidation("x-ms-date", date);
        message.Headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
        message.Headers.TryAddWithoutValidation("DataServiceVersion", "3.0");
        message.Headers.TryAddWithoutValidation("MaxDataServiceVersion", "3.0;NetFx");
        message.Headers.Accept.Add(MinimalMetadata);

        // SharedKey for the Table service: VERB, Content-MD5, Content-Type, Date, then the
        // canonicalized resource "/{account}{path as sent}" (Azurite's path already holds the account).
        var stringToSign = $"{method.Method}\n\n{contentType}\n{date}\n/{AzuriteProcess.AccountName}{accountPath}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(stringToSign)));
        message.Headers.TryAddWithoutValidation("Authorization", $"SharedKey {AzuriteProcess.AccountName}:{signature}");
        return message;
    }

    private static string Escape(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));
}
