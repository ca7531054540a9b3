using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace FuncSecrets.IntegrationTests.Faults.Support;

/// <summary>One entity as the Table service returns it: its JSON text and its binary properties decoded.</summary>
public sealed record RawEntity(string Table, string PartitionKey, string RowKey, string Json, IReadOnlyList<byte[]> Binaries);

/// <summary>
/// Reads entities straight from the Table REST API with SharedKey, without the service's storage
/// code, so the checks see what is really stored.
/// </summary>
public sealed class RawTables : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _account;
    private readonly byte[] _key;
    private readonly Uri _endpoint;

    public RawTables(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.OrdinalIgnoreCase);
        _account = parts["AccountName"];
        _key = Convert.FromBase64String(parts["AccountKey"]);
        _endpoint = new Uri(parts["TableEndpoint"].TrimEnd('/') + "/");
    }

    /// <summary>Every entity of <paramref name="table"/> (none when the table does not exist).</summary>
    public async Task<IReadOnlyList<RawEntity>> ScanAsync(string table)
    {
        var entities = new List<RawEntity>();
        var continuation = string.Empty;
        do
        {
            var resource = table + "()";
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint, resource + continuation));
            Sign(request, resource);
            using var response = await _http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode == 404)
            {
                return entities;
            }

            Assert.True(response.IsSuccessStatusCode, $"Raw scan of {table}: HTTP {(int)response.StatusCode} {body}");
            using (var json = JsonDocument.Parse(body))
            {
                foreach (var entity in json.RootElement.GetProperty("value").EnumerateArray())
                {
                    entities.Add(new RawEntity(
                        table,
                        entity.GetProperty("PartitionKey").GetString()!,
                        entity.GetProperty("RowKey").GetString()!,
                        entity.GetRawText(),
                        Binaries(entity)));
                }
            }

            continuation = response.Headers.TryGetValues("x-ms-continuation-NextPartitionKey", out var partition)
                ? "?NextPartitionKey=" + Uri.EscapeDataString(partition.First())
                    + (response.Headers.TryGetValues("x-ms-continuation-NextRowKey", out var row) ? "&NextRowKey=" + Uri.EscapeDataString(row.First()) : string.Empty)
                : string.Empty;
        }
        while (continuation.Length > 0);
        return entities;
    }

    public void Dispose() => _http.Dispose();

    private static List<byte[]> Binaries(JsonElement entity)
    {
        var binaries = new List<byte[]>();
        foreach (var property in entity.EnumerateObject())
        {
            if (property.Name.EndsWith("@odata.type", StringComparison.Ordinal) && property.Value.GetString() == "Edm.Binary"
                && entity.TryGetProperty(property.Name[..^"@odata.type".Length], out var value))
            {
                binaries.Add(Convert.FromBase64String(value.GetString()!));
            }
        }

        return binaries;
    }

    private void Sign(HttpRequestMessage request, string resource)
    {
        var date = DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        request.Headers.TryAddWithoutValidation("x-ms-date", date);
        request.Headers.TryAddWithoutValidation("x-ms-version", "2019-02-02");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;odata=minimalmetadata");
        // SharedKeyLite for tables: date, then "/{account}{path}" (the path holds the account on Azurite).
        var stringToSign = $"{date}\n/{_account}{_endpoint.AbsolutePath}{resource}";
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKeyLite {_account}:{signature}");
    }
}
