using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FuncSecrets.EndToEndTests.Support;

namespace FuncSecrets.EndToEndTests.NoLeak;

/// <summary>
/// Raw requests that carry the canary where the client scenarios cannot put it: in requests the
/// service refuses (bad JSON, both value kinds, an oversized value, an invalid name, a missing
/// secret), which are where a careless error path would echo or log a value.
/// </summary>
internal static class CanaryWorkload
{
    public static Task<ScriptResult> RunOnceAsync(EndToEndFixture fixture) =>
        fixture.RunOnceAsync("raw-canary", () => RunAsync(fixture));

    private static async Task<ScriptResult> RunAsync(EndToEndFixture fixture)
    {
        var stopwatch = Stopwatch.StartNew();
        var canary = fixture.Canary;
        var name = EndToEndFixture.UniquePrefix("raw") + "/leak";
        var binary = Convert.ToBase64String(Encoding.UTF8.GetBytes(canary + "-raw-binary"));
        string Json(object value) => JsonSerializer.Serialize(value);
        string Token() => Guid.NewGuid().ToString();

        var requests = new (string Operation, string Body)[]
        {
            ("CreateSecret", Json(new { Name = name, SecretString = canary + "-raw-1", ClientRequestToken = Token() })),
            ("PutSecretValue", Json(new { SecretId = name, SecretBinary = binary, ClientRequestToken = Token() })),
            ("GetSecretValue", Json(new { SecretId = name })),
            ("BatchGetSecretValue", Json(new { SecretIdList = new[] { name } })),
            ("CreateSecret", Json(new { Name = name + "-both", SecretString = canary + "-both", SecretBinary = binary, ClientRequestToken = Token() })),
            ("CreateSecret", Json(new { Name = name + " invalid*", SecretString = canary + "-invalid-name", ClientRequestToken = Token() })),
            ("CreateSecret", Json(new { Name = name, SecretString = canary + "-exists", ClientRequestToken = Token() })),
            ("PutSecretValue", Json(new { SecretId = name + "-missing", SecretString = canary + "-missing", ClientRequestToken = Token() })),
            ("PutSecretValue", Json(new { SecretId = name, SecretString = canary + "-no-token" })),
            ("PutSecretValue", Json(new { SecretId = name, SecretString = canary + new string('x', 65_536), ClientRequestToken = Token() })),
            ("UpdateSecret", Json(new { SecretId = name, SecretString = 5, Description = canary + "-wrong-type" })),
            ("PutSecretValue", $"{{\"SecretId\":\"{name}\",\"SecretString\":\"{canary}-truncated"),
            ("NoSuchOperation", Json(new { SecretString = canary + "-unknown-operation" })),
        };

        var report = new StringBuilder();
        var serverErrors = 0;
        foreach (var (operation, body) in requests)
        {
            var response = await fixture.Client.SendAsync(operation, body);
            report.AppendLine($"{operation}: HTTP {response.Status} {response.ErrorType}");
            if (response.Status >= 500)
            {
                serverErrors++;
            }
        }

        return new ScriptResult("raw-HTTP canary workload", serverErrors == 0 ? 0 : 1, TimedOut: false, stopwatch.Elapsed, report.ToString());
    }
}
