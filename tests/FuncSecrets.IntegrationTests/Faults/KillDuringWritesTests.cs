using System.Collections.Concurrent;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Faults.Support;
using FuncSecrets.IntegrationTests.Security;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.TestSupport.Processes;
using Xunit.Abstractions;

namespace FuncSecrets.IntegrationTests.Faults;

/// <summary>
/// Issue 7: kill -9 of the service in the middle of a write load (CreateSecret of new secrets and
/// PutSecretValue on shared ones), then a fresh process over the same tables: no half-written
/// secret, the label invariants hold, every acknowledged write is there with its value, and a
/// client's retry of a write that was never answered is idempotent.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class KillDuringWritesTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const int Writers = 16;
    private const int SharedSecrets = 4;
    private const int AcknowledgedBeforeKill = 120;

    [Fact]
    public async Task WriteLoad_ServiceKilledAndRestarted_NoPartialSecretAndEveryAcknowledgedWritePresent()
    {
        var scenario = new FaultScenario(azurite.ConnectionString, "faultkill");
        var created = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var puts = new ConcurrentDictionary<string, ConcurrentDictionary<string, string>>(StringComparer.Ordinal);
        var unanswered = new ConcurrentQueue<(bool IsCreate, string Secret, string Token, string Value)>();
        var serverErrors = new ConcurrentQueue<string>();
        string firstLog;

        await using (var doomed = await ServiceProcess.StartAsync(typeof(FuncSecrets.Server.AppFactory).Assembly.Location, scenario.Environment()))
        {
            using var http = FaultScenario.Http(doomed.Endpoint, timeout: TimeSpan.FromSeconds(10));
            var client = scenario.Client(http);
            for (var s = 0; s < SharedSecrets; s++)
            {
                var value = scenario.NewValue($"shared{s}");
                var first = await client.OkAsync("CreateSecret", new { Name = Shared(s), SecretString = value, ClientRequestToken = Guid.NewGuid().ToString() });
                puts[Shared(s)] = new(StringComparer.Ordinal) { [(string)first["VersionId"]!] = value };
            }

            var acknowledged = 0;
            using var killed = new CancellationTokenSource();
            var load = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
            {
                for (var i = 0; !killed.IsCancellationRequested; i++)
                {
                    var value = scenario.NewValue($"w{writer}i{i}");
                    var token = Guid.NewGuid().ToString();
                    var isCreate = i % 2 == 0;
                    var secret = isCreate ? $"kill/w{writer}/s{i}" : Shared((writer + i) % SharedSecrets);
                    ApiResponse response;
                    try
                    {
                        response = isCreate
                            ? await client.CallAsync("CreateSecret", new { Name = secret, SecretString = value, ClientRequestToken = token })
                            : await client.CallAsync("PutSecretValue", new { SecretId = secret, SecretString = value, ClientRequestToken = token });
                    }
                    catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                    {
                        // The process died under this request: it may or may not have been written.
                        unanswered.Enqueue((isCreate, secret, token, value));
                        return;
                    }

                    if (response.Status != 200)
                    {
                        serverErrors.Enqueue($"{response.Status} {response.Text}");
                        continue;
                    }

                    if (isCreate)
                    {
                        created[secret] = value;
                    }
                    else
                    {
                        puts[secret][token] = value;
                    }

                    Interlocked.Increment(ref acknowledged);
                }
            })).ToArray();

            // Kill once the load is well under way, with every writer mid-flight.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (Volatile.Read(ref acknowledged) < AcknowledgedBeforeKill && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            await doomed.KillAsync();
            await killed.CancelAsync();
            await Task.WhenAll(load);
            firstLog = doomed.Log;
            Assert.True(acknowledged >= AcknowledgedBeforeKill, $"Only {acknowledged} writes were acknowledged before the kill.");
        }

        output.WriteLine($"Killed with {created.Count} creates and {puts.Values.Sum(v => v.Count) - SharedSecrets} puts acknowledged, {unanswered.Count} requests in flight.");
        Assert.True(serverErrors.IsEmpty, $"Errors before the kill: {serverErrors.FirstOrDefault()}");
        await using var revived = await ServiceProcess.StartAsync(typeof(FuncSecrets.Server.AppFactory).Assembly.Location, scenario.Environment());
        using var revivedHttp = FaultScenario.Http(revived.Endpoint);
        var after = scenario.Client(revivedHttp);

        await SecretChecks.AssertNoPartialSecretsAsync(scenario);
        foreach (var (name, value) in created)
        {
            var read = await after.OkAsync("GetSecretValue", new { SecretId = name });
            Assert.Equal(value, (string?)read["SecretString"]);
        }

        foreach (var (name, versions) in puts)
        {
            var stored = await SecretChecks.AssertInvariantsAsync(after, name);
            Assert.True(versions.Keys.All(stored.ContainsKey), $"{name}: an acknowledged version is missing.");
            await SecretChecks.AssertVersionsAsync(after, name, versions);
        }

        // Every secret the killed process may have left, acknowledged or not, is whole.
        string? next = null;
        var seen = 0;
        do
        {
            var page = next is null
                ? await after.OkAsync("ListSecrets", new { MaxResults = 100 })
                : await after.OkAsync("ListSecrets", new { MaxResults = 100, NextToken = next });
            foreach (var secret in page["SecretList"]!.AsArray())
            {
                await SecretChecks.AssertInvariantsAsync(after, (string)secret!["Name"]!);
                seen++;
            }

            next = (string?)page["NextToken"];
        }
        while (next is not null);
        Assert.True(seen >= created.Count + SharedSecrets, $"ListSecrets shows {seen} secrets, fewer than were acknowledged.");

        // An SDK retries a write that got no answer with the same token: that must succeed once.
        Assert.NotEmpty(unanswered);
        foreach (var (isCreate, secret, token, value) in unanswered)
        {
            var retried = isCreate
                ? await after.CallAsync("CreateSecret", new { Name = secret, SecretString = value, ClientRequestToken = token })
                : await after.CallAsync("PutSecretValue", new { SecretId = secret, SecretString = value, ClientRequestToken = token });
            // CreateSecret of a name the killed process did create answers ResourceExistsException, as AWS does.
            Assert.True(retried.Status == 200 || (string?)retried.Json["__type"] == "ResourceExistsException", $"Retry of {secret}: {retried.Status} {retried.Text}");
            var read = await after.CallAsync("GetSecretValue", new { SecretId = secret, VersionId = token });
            var versions = await after.CallAsync("ListSecretVersionIds", new { SecretId = secret, IncludeDeprecated = true });
            Assert.True(read.Status == 200, $"Retry of {secret} answered {retried.Status} {retried.Text}, yet version {token} is not there: {read.Text}; versions: {versions.Text}");
            Assert.Equal(value, (string?)read.Json["SecretString"]);
        }

        await LeakCheck.AssertNoLeaksAsync(scenario, firstLog, revived.Log);
    }

    private static string Shared(int index) => $"kill/shared{index}";
}
