using System.Diagnostics;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Faults.Support;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.TestSupport.Processes;

namespace FuncSecrets.IntegrationTests.Security;

/// <summary>
/// Issue 11 item 8: the <c>audit</c> reader command needs only the storage settings: no access
/// keys, no local wrapping key, in Production. Also item 6 on the reader's side: a recorded
/// SecretId with a line break prints as one escaped line.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AuditCommand_OnlyStorageSettings_PrintsRecords_Issue11()
    {
        string table;
        await using (var api = await ApiHarness.StartAsync(azurite, "auditcmd"))
        {
            api.Time.SetUtcNow(DateTimeOffset.UtcNow);
            table = api.TableName;
            await api.OkAsync("CreateSecret", new { Name = "audited", SecretString = "v", ClientRequestToken = ApiHarness.Token() });
            await api.CallAsync("DescribeSecret", new { SecretId = "x\nforged line" });
        }

        var (exitCode, output) = await RunAuditAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["FuncSecrets__Storage__ConnectionString"] = azurite.ConnectionString,
            ["FuncSecrets__Storage__TableName"] = table,
            ["FuncSecrets__Audit__ContainerName"] = (table + "audit").ToLowerInvariant(),
        });

        Assert.True(exitCode == 0, output);
        Assert.Contains("CreateSecret", output, StringComparison.Ordinal);
        Assert.Contains("x\\u000Aforged line", output, StringComparison.Ordinal);
        Assert.DoesNotContain(output.Split('\n'), line => line.StartsWith("forged line", StringComparison.Ordinal));
    }

    private static async Task<(int ExitCode, string Output)> RunAuditAsync(IReadOnlyDictionary<string, string> settings)
    {
        var start = ServiceProcess.StartInfo(typeof(FuncSecrets.Server.AppFactory).Assembly.Location, settings, "audit", "--since", "1d");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
