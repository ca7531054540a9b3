using FuncSecrets.Core.Crypto;
using FuncSecrets.Host.Hosting;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.TestSupport.Azurite;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Hosting;

/// <summary>
/// Issue 15 (start-up): the warm-up does the first signed call's one-time work off the request
/// path, and nothing of it shows: no data key in the cache, no log line of its own, no secret; and it never
/// throws, whatever is down.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StartupWarmUpTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task StartupWarmUp_Run_LeavesCacheLogAndStoreUntouched_Issue15()
    {
        await using var api = await ApiHarness.StartAsync(azurite, "warmup");
        var cache = api.Services.GetRequiredService<DataKeyCache>();

        await StartupWarmUp.RunAsync(api.Services);

        Assert.Equal(0, cache.UnwrapCalls);
        Assert.Equal(0, cache.Hits);
        // Hosting's own start-up lines may land meanwhile (the harness's auth-off warning among
        // them); nothing of the warm-up's may.
        Assert.DoesNotContain(api.Log.Lines, l =>
            (l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal))
            && !l.Contains("Authentication is switched off", StringComparison.Ordinal));
        Assert.DoesNotContain(api.Log.Lines, l => l.Contains("warm-up", StringComparison.OrdinalIgnoreCase) || l.Contains("AKIAWARMUP", StringComparison.Ordinal));
        var listed = await api.OkAsync("ListSecrets", new { });
        Assert.Empty(listed["SecretList"]!.AsArray());

        // The service answers as before: the warm-up left nothing half-made.
        await api.OkAsync("CreateSecret", new { Name = "after-warm-up", SecretString = "v1", ClientRequestToken = ApiHarness.Token() });
        var read = await api.OkAsync("GetSecretValue", new { SecretId = "after-warm-up" });
        Assert.Equal("v1", (string?)read["SecretString"]);
    }

    [Fact]
    public async Task StartupWarmUp_StorageUnreachable_CompletesWithoutThrowing_Issue15()
    {
        // Nothing listens on port 1 of the loopback: every storage call fails fast.
        await using var api = await ApiHarness.StartAsync(azurite, "warmupdown", new Dictionary<string, string?>
        {
            ["FuncSecrets:Storage:ConnectionString"] =
                $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteServer.DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:1/devstoreaccount1;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;",
        });

        await StartupWarmUp.RunAsync(api.Services);

        Assert.Equal(0, api.Services.GetRequiredService<DataKeyCache>().UnwrapCalls);
    }
}
