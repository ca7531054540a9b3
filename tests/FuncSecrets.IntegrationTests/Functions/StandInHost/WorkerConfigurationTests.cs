using System.Diagnostics;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Functions.StandInHost;

/// <summary>
/// Issue 15: the worker starts its gRPC handshake before it checks its configuration, and a
/// configuration mistake must still end it, with the mistake in its output, as it did when the
/// check came first.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerConfigurationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Worker_InvalidAccessKeyPolicy_EndsWithTheConfigurationError_Issue15()
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["FuncSecrets__Storage__ConnectionString"] = azurite.ConnectionString,
            ["FuncSecrets__Encryption__LocalKey"] = ApiHarness.LocalKey,
            ["FuncSecrets__Auth__AccessKeys__0__AccessKeyId"] = "AKIDSTANDINBADPOLICY",
            ["FuncSecrets__Auth__AccessKeys__0__SecretAccessKey"] = "stand-in-host-secret-access-key",
            ["FuncSecrets__Auth__AccessKeys__0__Policy"] = "{not a policy",
        };

        string log;
        try
        {
            // The handshake may finish before the check fails: then the worker must end after it.
            await using var host = await StandInFunctionsHost.StartAsync(WorkerBuild.Directory, WorkerBuild.AssemblyFileName, settings);
            var stopwatch = Stopwatch.StartNew();
            while (IsRunning(host.WorkerProcessId) && stopwatch.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(50);
            }

            Assert.False(IsRunning(host.WorkerProcessId), "the worker kept running with an invalid policy");
            log = host.Log;
        }
        catch (InvalidOperationException error)
        {
            log = error.Message;
        }

        Assert.Contains("Policy is not a valid IAM identity policy", log, StringComparison.Ordinal);
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
