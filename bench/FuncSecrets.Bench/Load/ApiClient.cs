using System.Text.Json;
using System.Text.Json.Nodes;

namespace FuncSecrets.Bench.Load;

/// <summary>Signed JSON 1.1 calls for seeding and checks (the load itself goes through <see cref="LoadRunner"/>).</summary>
public sealed class ApiClient(HttpClient http, RequestSigner signer)
{
    public RequestSigner Signer => signer;

    public HttpClient Http => http;

    public async Task<(int Status, JsonObject Body)> CallAsync(string operation, object body)
    {
        using var request = signer.Sign(operation, JsonSerializer.Serialize(body)).ToRequest(signer.Endpoint);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? [] : (JsonObject)JsonNode.Parse(text)!);
    }

    public async Task<JsonObject> OkAsync(string operation, object body)
    {
        var (status, json) = await CallAsync(operation, body);
        return status == 200
            ? json
            : throw new InvalidOperationException($"{operation} answered {status} {json["__type"]}: {json["Message"]}");
    }

    /// <summary>Runs <paramref name="call"/> for 0..count-1 with <paramref name="parallelism"/> in flight.</summary>
    public static Task ForEachAsync(int count, int parallelism, Func<int, Task> call) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, _) => await call(i));

    /// <summary>A secret value of about <paramref name="bytes"/> bytes: a JSON credentials document, as apps keep.</summary>
    public static string Value(int index, int bytes)
    {
        var filler = new string((char)('a' + (index % 26)), Math.Max(0, bytes - 80));
        return $"{{\"username\":\"app{index:D5}\",\"password\":\"p-{Guid.NewGuid():N}\",\"note\":\"{filler}\"}}";
    }
}
