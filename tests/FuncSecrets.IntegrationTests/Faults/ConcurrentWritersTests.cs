using System.Collections.Concurrent;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Faults.Support;
using FuncSecrets.IntegrationTests.Security;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.TestSupport.Processes;
using Xunit.Abstractions;

namespace FuncSecrets.IntegrationTests.Faults;

/// <summary>
/// Issue 7: 32 writers on one secret (PutSecretValue, UpdateSecretVersionStage, TagResource),
/// split over two service processes, as two Functions instances would be, so the writes race on
/// the storage ETag and not only on one process's lock.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConcurrentWritersTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Writers = 32;
    private const int RoundsPerWriter = 6;
    private const string Secret = "race/one-secret";
    private static readonly string[] CustomLabels = ["blue", "green", "canary", "stable"];

    /// <summary>Answers a racing writer may get: a lost precondition is the caller's to retry, never a 5xx.</summary>
    private static readonly HashSet<string> AcceptableRefusals = ["InvalidParameterException", "InvalidRequestException"];

    [Fact]
    public async Task MixedWriters_TwoInstancesOneSecret_LabelsExactNoAcknowledgedWriteLostNo5xx()
    {
        var scenario = new FaultScenario(azurite.ConnectionString, "faultrace");
        await using var first = await ServiceProcess.StartAsync(typeof(FuncSecrets.Server.AppFactory).Assembly.Location, scenario.Environment());
        await using var second = await ServiceProcess.StartAsync(typeof(FuncSecrets.Server.AppFactory).Assembly.Location, scenario.Environment());
        using var httpFirst = FaultScenario.Http(first.Endpoint);
        using var httpSecond = FaultScenario.Http(second.Endpoint);
        var clients = new[] { scenario.Client(httpFirst), scenario.Client(httpSecond) };

        var initial = scenario.NewValue("initial");
        var created = await clients[0].OkAsync("CreateSecret", new { Name = Secret, SecretString = initial, ClientRequestToken = Guid.NewGuid().ToString() });
        var acknowledged = new ConcurrentDictionary<string, string>(StringComparer.Ordinal) { [(string)created["VersionId"]!] = initial };
        var lastTag = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var failures = new ConcurrentQueue<string>();
        var refusals = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);

        await Parallel.ForEachAsync(Enumerable.Range(0, Writers), new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (writer, _) =>
        {
            var client = clients[writer % 2];
            var random = new Random(writer);
            for (var round = 0; round < RoundsPerWriter; round++)
            {
                ApiResponse response;
                switch ((writer + round) % 3)
                {
                    case 0:
                        var value = scenario.NewValue($"w{writer}r{round}");
                        var token = Guid.NewGuid().ToString();
                        // Half the puts carry a custom label only (AWSCURRENT stays), half become current.
                        response = round % 2 == 0
                            ? await client.CallAsync("PutSecretValue", new { SecretId = Secret, SecretString = value, ClientRequestToken = token })
                            : await client.CallAsync("PutSecretValue", new { SecretId = Secret, SecretString = value, ClientRequestToken = token, VersionStages = new[] { CustomLabels[random.Next(CustomLabels.Length)] } });
                        if (response.Status == 200)
                        {
                            Assert.Equal(token, (string?)response.Json["VersionId"]);
                            acknowledged[token] = value;
                        }

                        break;
                    case 1:
                        response = await MoveLabelAsync(client, random, acknowledged.Keys.ToArray());
                        break;
                    default:
                        response = await client.CallAsync("TagResource", new { SecretId = Secret, Tags = new[] { new { Key = $"writer-{writer}", Value = round.ToString() } } });
                        if (response.Status == 200)
                        {
                            // Each writer tags in order, so its last acknowledged value must be what stays.
                            lastTag[$"writer-{writer}"] = round;
                        }

                        break;
                }

                if (response.Status >= 500)
                {
                    failures.Enqueue($"{response.Status} {response.Text}");
                }
                else if (response.Status != 200)
                {
                    Assert.True(SecretChecks.IsAwsErrorShape(response.Text, out var code), $"Not an AWS error: {response.Status} {response.Text}");
                    refusals.AddOrUpdate(code!, 1, (_, n) => n + 1);
                }
            }
        });

        output.WriteLine($"{Writers} writers x {RoundsPerWriter} calls over 2 processes: {acknowledged.Count - 1} puts acknowledged, "
            + $"{lastTag.Count} writers' tags acknowledged, refusals: {(refusals.IsEmpty ? "none" : string.Join(", ", refusals.Select(r => $"{r.Key}={r.Value}")))}, server errors: {failures.Count}");
        Assert.True(failures.IsEmpty, $"{failures.Count} server errors, e.g. {failures.FirstOrDefault()}");
        Assert.True(refusals.Keys.All(AcceptableRefusals.Contains), "Unexpected refusals: " + string.Join(", ", refusals.Select(r => $"{r.Key}={r.Value}")));

        // Read back through the other instance than most writers used last.
        var reader = clients[1];
        var versions = await SecretChecks.AssertInvariantsAsync(reader, Secret);
        Assert.True(acknowledged.Keys.All(versions.ContainsKey), "An acknowledged version is missing from ListSecretVersionIds.");
        await SecretChecks.AssertVersionsAsync(reader, Secret, acknowledged);
        var described = await reader.OkAsync("DescribeSecret", new { SecretId = Secret });
        var tags = described["Tags"]!.AsArray().ToDictionary(t => (string)t!["Key"]!, t => (string)t!["Value"]!);
        foreach (var (key, round) in lastTag)
        {
            Assert.True(tags.TryGetValue(key, out var stored) && stored == round.ToString(), $"Tag {key}: acknowledged {round}, stored {(tags.TryGetValue(key, out var s) ? s : "nothing")}.");
        }

        await SecretChecks.AssertNoPartialSecretsAsync(scenario);
        await LeakCheck.AssertNoLeaksAsync(scenario, first.Log, second.Log);
    }

    /// <summary>
    /// Moves a label the way a careful caller does: look up its holder, then move it from there.
    /// Under the race the holder may change in between; the service must refuse that with a 400.
    /// </summary>
    private static async Task<ApiResponse> MoveLabelAsync(SigningClient client, Random random, string[] versions)
    {
        var label = random.Next(4) == 0 ? "AWSCURRENT" : CustomLabels[random.Next(CustomLabels.Length)];
        var target = versions[random.Next(versions.Length)];
        var described = await client.CallAsync("DescribeSecret", new { SecretId = Secret });
        if (described.Status != 200)
        {
            return described;
        }

        var holder = described.Json["VersionIdsToStages"]!.AsObject()
            .FirstOrDefault(p => p.Value!.AsArray().Any(s => (string?)s == label)).Key;
        return holder is null
            ? await client.CallAsync("UpdateSecretVersionStage", new { SecretId = Secret, VersionStage = label, MoveToVersionId = target })
            : await client.CallAsync("UpdateSecretVersionStage", new { SecretId = Secret, VersionStage = label, MoveToVersionId = target, RemoveFromVersionId = holder });
    }
}
