using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FuncSecrets.EndToEndTests.Support;

/// <summary>One entity exactly as the Table service returns it, plus its binary properties decoded.</summary>
public sealed record RawEntity(string Table, string Json, IReadOnlyList<byte[]> BinaryValues);

/// <summary>
/// Reads every entity of every table straight from the Table REST API (SharedKeyLite), without
/// the service's own storage code, so what it finds is what is really stored.
/// </summary>
public sealed class RawTableScanner : IDisposable
{
    private const string ApiVersion = "2019-02-02";

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _endpoint;
    private readonly string _account;
    private readonly byte[] _key;

    public RawTableScanner(string connectionString)
    {
        var settings = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Split('=', 2))
            .ToDictionary(pair => pair[0].Trim(), pair => pair.Length > 1 ? pair[1].Trim() : string.Empty, StringComparer.OrdinalIgnoreCase);
        if (settings.TryGetValue("UseDevelopmentStorage", out var development) && development.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            settings["AccountName"] = "devstoreaccount1";
            settings["AccountKey"] = FuncSecrets.IntegrationTests.Support.AzuriteFixture.DevelopmentAccountKey;
            settings["TableEndpoint"] = "http://127.0.0.1:10002/devstoreaccount1";
        }

        _account = settings["AccountName"];
        _key = Convert.FromBase64String(settings["AccountKey"]);
        var endpoint = settings.TryGetValue("TableEndpoint", out var explicitEndpoint)
            ? explicitEndpoint
            : $"{settings.GetValueOrDefault("DefaultEndpointsProtocol", "https")}://{_account}.table.{settings.GetValueOrDefault("EndpointSuffix", "core.windows.net")}";
        _endpoint = new Uri(endpoint.TrimEnd('/') + "/");
    }

    /// <summary>Every entity in every table of the account.</summary>
    public async Task<IReadOnlyList<RawEntity>> ScanAllAsync()
    {
        var entities = new List<RawEntity>();
        await foreach (var table in QueryAsync("Tables"))
        {
            var name = table.GetProperty("TableName").GetString()!;
            await foreach (var entity in QueryAsync($"{name}()"))
            {
                entities.Add(new RawEntity(name, entity.GetRawText(), BinaryValues(entity)));
            }
        }

        return entities;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Pages through a query, following the continuation headers.</summary>
    private async IAsyncEnumerable<JsonElement> QueryAsync(string resource)
    {
        var continuation = string.Empty;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint, resource + continuation));
            Authorize(request, resource);
            request.Headers.TryAddWithoutValidation("Accept", "application/json;odata=minimalmetadata");
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Table query {resource} failed: HTTP {(int)response.StatusCode} {body}");
            }

            using (var document = JsonDocument.Parse(body))
            {
                foreach (var item in document.RootElement.GetProperty("value").EnumerateArray())
                {
                    yield return item.Clone();
                }
            }

            continuation = Continuation(response, resource == "Tables");
        }
        while (continuation.Length > 0);
    }

    private static string Continuation(HttpResponseMessage response, bool tables)
    {
        string? Header(string name) => response.Headers.TryGetValues(name, out var values) ? values.First() : null;
        if (tables)
        {
            return Header("x-ms-continuation-NextTableName") is { } next ? $"?NextTableName={Uri.EscapeDataString(next)}" : string.Empty;
        }

        var partition = Header("x-ms-continuation-NextPartitionKey");
        if (partition is null)
        {
            return string.Empty;
        }

        var row = Header("x-ms-continuation-NextRowKey");
        return $"?NextPartitionKey={Uri.EscapeDataString(partition)}" + (row is null ? string.Empty : $"&NextRowKey={Uri.EscapeDataString(row)}");
    }

    /// <summary>SharedKeyLite for the Table service: HMAC-SHA256 over the date and the canonical resource.</summary>
    private void Authorize(HttpRequestMessage request, string resource)
    {
        var date = DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        var canonical = $"/{_account}{_endpoint.AbsolutePath}{resource}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{date}\n{canonical}")));
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-version", ApiVersion);
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {_account}:{signature}");
    }

    private static List<byte[]> BinaryValues(JsonElement entity)
    {
        var values = new List<byte[]>();
        foreach (var property in entity.EnumerateObject())
        {
            if (property.Name.EndsWith("@odata.type", StringComparison.Ordinal) && property.Value.GetString() == "Edm.Binary"
                && entity.TryGetProperty(property.Name[..^"@odata.type".Length], out var value) && value.ValueKind == JsonValueKind.String)
            {
                values.Add(Convert.FromBase64String(value.GetString()!));
            }
        }

        return values;
    }
}
