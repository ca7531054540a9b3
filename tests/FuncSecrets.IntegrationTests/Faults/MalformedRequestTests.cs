using System.Collections.Concurrent;
using FuncSecrets.IntegrationTests.Faults.Support;
using FuncSecrets.IntegrationTests.Support;
using Xunit.Abstractions;

namespace FuncSecrets.IntegrationTests.Faults;

/// <summary>
/// Issue 7: 1,300 malformed requests from a seeded generator, as raw bytes to real Kestrel. No
/// answer is a 5xx; every answer the service writes is 200 or an AWS error shape
/// (<c>{"__type","Message"}</c>; the Query protocol's XML error where no X-Amz-Target was sent).
/// Kestrel's own refusals of broken HTTP (an empty 400/413/414/431) and closed connections are
/// counted apart: they are not the service's answers, and not 5xx either.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MalformedRequestTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Seed = 20261123;

    /// <summary>What Kestrel answers broken HTTP with, before the app sees it (505: an HTTP version it does not speak).</summary>
    private static readonly HashSet<int> KestrelRefusals = [400, 411, 413, 414, 431, 505];

    [Fact]
    public async Task MalformedRequests_SeededGenerator_No5xxAndEveryServiceAnswerAwsShaped()
    {
        var scenario = new FaultScenario(azurite.ConnectionString, "faultfuzz");
        await using var service = await InProcessService.StartAsync(scenario, kestrel: true);
        var client = scenario.Client(service.Client);
        for (var i = 0; i < 20; i++)
        {
            // Secrets for the generated requests to hit (it names fuzz-0 .. fuzz-19).
            await client.OkAsync("CreateSecret", new { Name = $"fuzz-{i}", SecretString = scenario.NewValue("fuzz"), ClientRequestToken = Guid.NewGuid().ToString() });
        }

        var generator = new MalformedRequests(new Random(Seed), service.Endpoint.Port, scenario.AccessKeyId, scenario.SecretAccessKey)
        {
            NewValue = () => scenario.NewValue("fuzz"),
        };
        var cases = generator.Generate().ToList();
        Assert.True(cases.Count >= 1000, $"Only {cases.Count} cases.");

        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var violations = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, _) =>
        {
            var response = await RawHttp.SendAsync(service.Endpoint.Port, request.Raw, TimeSpan.FromSeconds(5), endsConnection: request.Category == "random-bytes");
            string outcome;
            if (response == RawResponse.Stalled)
            {
                outcome = "no answer: server waits for the rest (client gave up after 5 s)";
            }
            else if (response.Closed)
            {
                outcome = "connection closed, no answer";
            }
            else if (!response.HasRequestId && response.Body.Length == 0 && KestrelRefusals.Contains(response.Status))
            {
                // Broken HTTP that never reached the app: Kestrel's own empty answer.
                outcome = $"Kestrel {response.Status}, empty body";
            }
            else if (response.Status >= 500)
            {
                outcome = $"{response.Status} (server error)";
                violations.Enqueue($"{request.Category}: {response.Status} {Truncate(response.Body)}");
            }
            else if (response.Status == 200)
            {
                outcome = "200";
            }
            else if (SecretChecks.IsAwsErrorShape(response.Body, out var code))
            {
                outcome = $"{response.Status} {code}";
            }
            else if (!request.HasTarget && response.Body.Contains("<ErrorResponse", StringComparison.Ordinal) && response.Body.Contains("<Code>", StringComparison.Ordinal))
            {
                outcome = $"{response.Status} Query XML error";
            }
            else
            {
                outcome = $"{response.Status} not AWS-shaped";
                violations.Enqueue($"{request.Category}: {response.Status} {Truncate(response.Body)}");
            }

            outcomes.AddOrUpdate($"{request.Category,-22} {outcome}", 1, (_, n) => n + 1);
        });

        output.WriteLine($"{cases.Count} requests (seed {Seed}):");
        foreach (var (outcome, count) in outcomes.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {count,5}  {outcome}");
        }

        Assert.True(violations.IsEmpty, $"{violations.Count} answers were 5xx or not AWS-shaped, e.g.:\n{string.Join("\n", violations.Take(10))}");

        // The service is still whole: a valid call works and nothing leaked anywhere.
        await client.OkAsync("GetRandomPassword", new { PasswordLength = 16 });
        await LeakCheck.AssertNoLeaksAsync(scenario, service.Log.AllText);
    }

    /// <summary>
    /// Issue 7 finding: a chunked body (no Content-Length) over the 1 MiB limit is refused by
    /// Kestrel while the service reads it; that refusal must become the same 413
    /// SerializationException a declared oversized body gets, not a 500 InternalServiceError.
    /// </summary>
    [Fact]
    public async Task ChunkedBodyOverLimit_NoContentLength_Answers413SerializationException()
    {
        var scenario = new FaultScenario(azurite.ConnectionString, "faultchunk");
        scenario.NewValue("unused");
        await using var service = await InProcessService.StartAsync(scenario, kestrel: true);
        var chunk = new string('v', 64 * 1024);
        var body = new System.Text.StringBuilder();
        for (var i = 0; i < 18; i++)
        {
            body.Append($"{chunk.Length:X}\r\n{chunk}\r\n");
        }

        body.Append("0\r\n\r\n");
        var request = $"POST / HTTP/1.1\r\nHost: 127.0.0.1:{service.Endpoint.Port}\r\nContent-Type: application/x-amz-json-1.1\r\n"
            + "X-Amz-Target: secretsmanager.GetSecretValue\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + body;

        var response = await RawHttp.SendAsync(service.Endpoint.Port, System.Text.Encoding.ASCII.GetBytes(request), TimeSpan.FromSeconds(10), endsConnection: false);

        Assert.True(response.Status == 413, $"Answered {response.Status} {response.Body}; log: {string.Join(" | ", service.Log.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal)).Select(l => l[..Math.Min(700, l.Length)]))}");
        Assert.True(SecretChecks.IsAwsErrorShape(response.Body, out var code) && code == "SerializationException", response.Body);
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
