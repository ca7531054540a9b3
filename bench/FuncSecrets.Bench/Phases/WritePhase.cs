using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSecrets.Bench.Infra;
using FuncSecrets.Bench.Load;

namespace FuncSecrets.Bench.Phases;

/// <summary>
/// PutSecretValue: every writer on one secret (each write is a conditional transaction on that
/// secret's metadata row, so writers queue on its ETag) and writers spread over many secrets.
/// Each request carries a fresh ClientRequestToken, so each is signed when it is sent.
/// </summary>
public sealed class WritePhase(BenchOptions options, Report report)
{
    private const int ManySecrets = 256;

    public async Task RunAsync(ServiceProcess service, ApiClient api)
    {
        await api.OkAsync("CreateSecret", new { Name = "bench-write-one", SecretString = "v0", ClientRequestToken = Guid.NewGuid().ToString() });
        await ApiClient.ForEachAsync(ManySecrets, 16, i => api.OkAsync("CreateSecret", new
        {
            Name = $"bench-write-{i:D3}",
            SecretString = "v0",
            ClientRequestToken = Guid.NewGuid().ToString(),
        }));

        var rows = new List<string[]>();
        foreach (var (label, connections, many) in new[] { ("one secret", 1, false), ("one secret", 8, false), ("many secrets", 8, true), ("many secrets", 32, true) })
        {
            var next = 0L;
            var codes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
            HttpRequestMessage Put(int worker)
            {
                var n = Interlocked.Increment(ref next);
                var name = many ? $"bench-write-{n % ManySecrets:D3}" : "bench-write-one";
                var body = JsonSerializer.Serialize(new { SecretId = name, SecretString = ApiClient.Value((int)(n % 100_000), 256), ClientRequestToken = Guid.NewGuid().ToString() });
                return api.Signer.Sign("PutSecretValue", body).ToRequest(service.Endpoint);
            }

            void Failed(HttpResponseMessage response, byte[] body)
            {
                var code = $"{(int)response.StatusCode} {ErrorCode(body)}";
                codes.AddOrUpdate(code, 1, (_, c) => c + 1);
            }

            using var http = LoadRunner.CreateClient(connections);
            await LoadRunner.RunAsync("warm-up", http, connections, TimeSpan.FromSeconds(1), Put, onError: Failed);
            codes.Clear();
            var result = await LoadRunner.RunAsync("PutSecretValue", http, connections, options.RunLength, Put, onError: Failed);
            Report.Progress($"put {label} c={connections}: {result.RequestsPerSecond:F0}/s p99 {result.P99:F1} ms, errors {result.Errors}");
            rows.Add(
            [
                label, connections.ToString(), Report.N(result.RequestsPerSecond), Report.N(result.P50, 1), Report.N(result.P99, 1),
                result.Errors == 0 ? "0" : $"{result.Errors} ({string.Join(", ", codes.Select(c => $"{c.Key}: {c.Value}"))})",
            ]);
        }

        report.Table(["PutSecretValue on", "conns", "req/s", "p50 ms", "p99 ms", "errors"], rows);
    }

    /// <summary>The AWS error code (<c>__type</c>) of an error answer.</summary>
    internal static string ErrorCode(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body)?["__type"]?.GetValue<string>() ?? "?";
        }
        catch (JsonException)
        {
            return "(not JSON)";
        }
    }
}
