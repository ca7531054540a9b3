using FuncSecrets.Core.Jobs;
using FuncSecrets.Host.Functions;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// Timer invocations replayed as the Functions host sends them: <c>POST /{function}</c> with the
/// <c>{"Data","Metadata"}</c> payload, answered with <c>{"Outputs","Logs","ReturnValue"}</c>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TimerInvocationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task PurgeTimer_RecoveryWindowEnded_PurgesSecretAndAnswersInvocationResult()
    {
        await using var host = await FunctionsHostHarness.StartAsync(azurite, "timerpurge");
        await host.ProxiedCallAsync("CreateSecret", new { Name = "old", SecretString = "gone-soon", ClientRequestToken = Guid.NewGuid().ToString() });
        await host.ProxiedCallAsync("CreateSecret", new { Name = "young", SecretString = "stays", ClientRequestToken = Guid.NewGuid().ToString() });
        Assert.Equal(200, (await host.ProxiedCallAsync("DeleteSecret", new { SecretId = "old", RecoveryWindowInDays = 7 })).Status);
        Assert.Equal(200, (await host.ProxiedCallAsync("DeleteSecret", new { SecretId = "young", RecoveryWindowInDays = 30 })).Status);
        host.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        var answer = await host.InvokeTimerAsync(FunctionNames.PurgeDeletedSecrets);

        Assert.True(answer.Status == 200, answer.Text);
        Assert.Equal("application/json", answer.ContentType);
        Assert.Equal(["Logs", "Outputs", "ReturnValue"], answer.Json.Select(p => p.Key).Order());
        Assert.Empty(answer.Json["Outputs"]!.AsObject());
        Assert.Null(answer.Json["ReturnValue"]);
        var log = Assert.Single(answer.Json["Logs"]!.AsArray());
        Assert.Contains("processed 1", (string?)log, StringComparison.Ordinal);
        Assert.DoesNotContain("gone-soon", answer.Text, StringComparison.Ordinal);

        var purged = await host.ProxiedCallAsync("DescribeSecret", new { SecretId = "old" });
        Assert.Equal("ResourceNotFoundException", (string?)purged.Json["__type"]);
        var kept = await host.ProxiedCallAsync("DescribeSecret", new { SecretId = "young" });
        Assert.True(kept.Status == 200, kept.Text);
        Assert.NotNull(kept.Json["DeletedDate"]);
    }

    [Fact]
    public async Task PurgeTimer_JobFails_Returns500WithLogsButNoDetails()
    {
        var job = new ThrowingJob(FunctionNames.PurgeDeletedSecrets, "boom: value hunter2 must not leak");
        // Registered before the app's own jobs, so it is the one the timer runs.
        await using var host = await FunctionsHostHarness.StartAsync(azurite, "timerfail", services => services.AddSingleton<IScheduledJob>(job));

        var answer = await host.InvokeTimerAsync(FunctionNames.PurgeDeletedSecrets, pastDue: true);

        Assert.Equal(500, answer.Status);
        Assert.Equal(1, job.Runs);
        var log = (string?)Assert.Single(answer.Json["Logs"]!.AsArray());
        Assert.Contains("InvalidOperationException", log, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimerPath_RelayedFromOutside_DoesNotRunTheJob()
    {
        // The SecretsApi catch-all route also matches /PurgeDeletedSecrets: an outside caller's
        // request arrives proxied, with X-Forwarded-For, and must not start the job.
        var job = new CountingJob(FunctionNames.PurgeDeletedSecrets);
        await using var host = await FunctionsHostHarness.StartAsync(azurite, "timerext", services => services.AddSingleton<IScheduledJob>(job));

        var relayed = await host.InvokeTimerAsync(FunctionNames.PurgeDeletedSecrets, adjust: r => r.Headers.Add("X-Forwarded-For", "198.51.100.4"));
        var fromFrontEnd = await host.InvokeTimerAsync(FunctionNames.PurgeDeletedSecrets, adjust: r => r.Headers.Add("X-ARR-LOG-ID", Guid.NewGuid().ToString()));

        Assert.Equal(400, relayed.Status);
        Assert.Equal(400, fromFrontEnd.Status);
        Assert.NotNull(relayed.Json["__type"]);
        Assert.Equal(0, job.Runs);
        Assert.Equal(200, (await host.InvokeTimerAsync(FunctionNames.PurgeDeletedSecrets)).Status);
        Assert.Equal(1, job.Runs);
    }

    [Fact]
    public async Task TimerPath_Standalone_IsAnUnknownRequest()
    {
        // Standalone, the in-process scheduler runs the jobs; the timer paths are not endpoints.
        await using var api = await Api.ApiHarness.StartAsync(azurite, "timerstd");
        using var content = new StringContent(FunctionsHostHarness.TimerPayload(FunctionNames.PurgeDeletedSecrets, api.Time.GetUtcNow(), false), System.Text.Encoding.UTF8, "application/json");

        using var response = await api.Client.PostAsync("/" + FunctionNames.PurgeDeletedSecrets, content);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.DoesNotContain("Logs", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private sealed class ThrowingJob(string name, string message) : IScheduledJob
    {
        public int Runs { get; private set; }

        public string Name => name;

        public Task<JobResult> RunOnceAsync(CancellationToken cancellationToken)
        {
            Runs++;
            throw new InvalidOperationException(message);
        }
    }

    private sealed class CountingJob(string name) : IScheduledJob
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public string Name => name;

        public Task<JobResult> RunOnceAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            return Task.FromResult(new JobResult(0, 0, TimeSpan.Zero));
        }
    }
}
