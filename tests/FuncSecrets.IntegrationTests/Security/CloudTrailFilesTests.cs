using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using FuncSecrets.Core.Audit;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Security;

/// <summary>
/// Issue 15: the audit trail as CloudTrail log files in Blob Storage (Azurite): CloudTrail's path
/// convention, gzip JSON that <c>zcat | jq</c> opens, batches written when the process stops, and
/// records spilled to the log while the Blob service is unreachable.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class CloudTrailFilesTests(AzuriteFixture azurite)
{
    private const string Canary = "cloudtrail-canary-51d0e2";

    [Fact]
    public async Task AuditFiles_ZcatAndJq_ShowCloudTrailRecordsWithoutValues_Issue15()
    {
        await using var api = await ApiHarness.StartAsync(azurite, "trailfiles");
        var created = await api.OkAsync("CreateSecret", new { Name = "trail/db", SecretString = Canary, ClientRequestToken = ApiHarness.Token() });
        await api.OkAsync("GetSecretValue", new { SecretId = "trail/db" });
        await api.CallAsync("GetSecretValue", new { SecretId = "trail/missing" });
        await api.Services.GetRequiredService<BufferedAuditSink>().FlushAsync();

        var names = await BlobNamesAsync(api);
        var name = Assert.Single(names);
        Assert.Matches(CloudTrailName(), name);
        Assert.StartsWith("AWSLogs/123456789012/CloudTrail/us-east-1/2026/01/15/123456789012_CloudTrail_us-east-1_20260115T1000Z_", name, StringComparison.Ordinal);

        var file = Path.Combine(Path.GetTempPath(), $"trail-{Guid.NewGuid():N}.json.gz");
        try
        {
            await Container(api).GetBlobClient(name).DownloadToAsync(file);
            var fields = await ShellAsync($"zcat '{file}' | jq -c '.Records[] | [.eventVersion, .eventSource, .eventName, .awsRegion, .recipientAccountId, .eventType, .readOnly, .managementEvent, .eventCategory, .errorCode, (.requestID == .eventID), .userIdentity.accountId]'");
            Assert.Equal(
                string.Join('\n',
                [
                    """["1.08","secretsmanager.amazonaws.com","CreateSecret","us-east-1","123456789012","AwsApiCall",false,false,"Data",null,true,"123456789012"]""",
                    """["1.08","secretsmanager.amazonaws.com","GetSecretValue","us-east-1","123456789012","AwsApiCall",true,false,"Data",null,true,"123456789012"]""",
                    """["1.08","secretsmanager.amazonaws.com","GetSecretValue","us-east-1","123456789012","AwsApiCall",true,false,"Data","ResourceNotFoundException",true,"123456789012"]""",
                ]),
                fields.Trim());
            var create = JsonNode.Parse(await ShellAsync($"zcat '{file}' | jq -c '.Records[0]'"))!;
            Assert.Equal(AuditRedactor.Hidden, (string?)create["requestParameters"]!["SecretString"]);
            Assert.Equal((string?)created["ARN"], (string?)create["responseElements"]!["arn"]);
            Assert.Equal((string?)created["VersionId"], (string?)create["responseElements"]!["versionId"]);
            Assert.DoesNotContain(Canary, await ShellAsync($"zcat '{file}'"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task BufferedRecords_ProcessStops_AreWrittenToFiles_Issue15()
    {
        var api = await ApiHarness.StartAsync(azurite, "trailstop", new Dictionary<string, string?>
        {
            ["FuncSecrets:Audit:BatchSeconds"] = "3600",
            ["FuncSecrets:Audit:BatchRecords"] = "100000",
        });
        var container = Container(api);
        try
        {
            await api.OkAsync("CreateSecret", new { Name = "trail/stop", SecretString = Canary, ClientRequestToken = ApiHarness.Token() });
            await api.OkAsync("GetSecretValue", new { SecretId = "trail/stop" });
            await api.OkAsync("DescribeSecret", new { SecretId = "trail/stop" });

            // Nothing written yet: the batch waits for its hour or its 100,000 records.
            Assert.False(await container.ExistsAsync());
        }
        finally
        {
            await api.DisposeAsync();
        }

        var names = await BlobNamesAsync(container);
        var name = Assert.Single(names);
        var file = Path.Combine(Path.GetTempPath(), $"trail-{Guid.NewGuid():N}.json.gz");
        try
        {
            await container.GetBlobClient(name).DownloadToAsync(file);
            Assert.Equal("CreateSecret GetSecretValue DescribeSecret", (await ShellAsync($"zcat '{file}' | jq -j '[.Records[].eventName] | join(\" \")'")).Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Records_BlobServiceUnreachable_SpillToLogWithoutValues_Issue15()
    {
        var deadBlob = $"BlobEndpoint=http://127.0.0.1:{AzuriteFixture.FreePort()}/devstoreaccount1;";
        var connectionString = Regex.Replace(azurite.ConnectionString, "BlobEndpoint=[^;]*;", string.Empty) + deadBlob;
        await using var api = await ApiHarness.StartAsync(azurite, "trailspill", new Dictionary<string, string?>
        {
            ["FuncSecrets:Storage:ConnectionString"] = connectionString,
        });
        await api.OkAsync("CreateSecret", new { Name = "trail/spill", SecretString = Canary, ClientRequestToken = ApiHarness.Token() });
        var got = await api.CallAsync("GetSecretValue", new { SecretId = "trail/spill" });
        Assert.Equal(200, got.Status);
        await api.Services.GetRequiredService<BufferedAuditSink>().FlushAsync();

        var log = api.Log.AllText;
        Assert.Contains("Could not write 2 audit records to storage", log);
        Assert.Contains("audit CreateSecret Data", log);
        Assert.Contains($"audit GetSecretValue Data time=2026-01-15T10:00:00.0000000Z request={got.RequestId}", log);
        Assert.Contains(AuditRedactor.Hidden, log);
        Assert.DoesNotContain(Canary, log);
    }

    [GeneratedRegex(@"^AWSLogs/\d{12}/CloudTrail/[a-z0-9-]+/\d{4}/\d{2}/\d{2}/\d{12}_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$")]
    private static partial Regex CloudTrailName();

    private BlobContainerClient Container(ApiHarness api) =>
        new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient((api.TableName + "audit").ToLowerInvariant());

    private Task<List<string>> BlobNamesAsync(ApiHarness api) => BlobNamesAsync(Container(api));

    private static async Task<List<string>> BlobNamesAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    /// <summary>Runs a pipeline of the real tools (zcat, jq) and returns its output; fails on a non-zero exit.</summary>
    private static async Task<string> ShellAsync(string command)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-o");
        start.ArgumentList.Add("pipefail");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{command} exited with {process.ExitCode}: {await error}");
        return await output;
    }
}
