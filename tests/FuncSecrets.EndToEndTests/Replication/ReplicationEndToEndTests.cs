using System.Diagnostics;
using System.Text.Json;
using FuncSecrets.EndToEndTests.Support;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.EndToEndTests.Replication;

/// <summary>
/// Replication between two real deployments (issue 14), as a user sees it: boto3 against both
/// endpoints, and the raw wire while the second Region's storage is stopped and started again.
/// </summary>
[Collection(ReplicationCollection.Name)]
public sealed class ReplicationEndToEndTests(ReplicationFixture fixture)
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Boto3_TwoRegions_ReplicaFollowsRefusesWritesPromotesAndIsRemoved()
    {
        var result = await ClientScript.RunAsync(
            "python3",
            "replication_scenario.py",
            [fixture.EastService.Endpoint.GetLeftPart(UriPartial.Authority), fixture.WestService.Endpoint.GetLeftPart(UriPartial.Authority), EndToEndFixture.UniquePrefix("repl")],
            TimeSpan.FromMinutes(3));

        Assert.True(result.Succeeded, result.ToString());
    }

    [Fact]
    public async Task SecondRegionStorageStopped_WriteSucceedsReplicaFailed_ThenJobBringsItInSync()
    {
        var name = EndToEndFixture.UniquePrefix("outage") + "/db";
        var canary = $"replication-canary-{Guid.NewGuid():N}";
        await SendOkAsync(fixture.EastClient, "CreateSecret", new { Name = name, SecretString = canary + "-1", ClientRequestToken = Guid.NewGuid().ToString() });
        var replicated = await SendOkAsync(fixture.EastClient, "ReplicateSecretToRegions", new { SecretId = name, AddReplicaRegions = new[] { new { Region = ReplicationFixture.West } } });
        Assert.Equal("InSync", replicated.GetProperty("ReplicationStatus")[0].GetProperty("Status").GetString());

        await fixture.WestStorage.StopAsync();
        try
        {
            // The primary's write succeeds without the second Region; the replica is marked Failed.
            await SendOkAsync(fixture.EastClient, "PutSecretValue", new { SecretId = name, SecretString = canary + "-2", ClientRequestToken = Guid.NewGuid().ToString() });
            var status = (await SendOkAsync(fixture.EastClient, "DescribeSecret", new { SecretId = name })).GetProperty("ReplicationStatus")[0];
            Assert.Equal(("Failed", "Replication failed: Region eu-west-1 did not answer. Secrets Manager retries."), (status.GetProperty("Status").GetString(), status.GetProperty("StatusMessage").GetString()));
            var value = (await SendOkAsync(fixture.EastClient, "GetSecretValue", new { SecretId = name })).GetProperty("SecretString").GetString();
            Assert.Equal(canary + "-2", value);
        }
        finally
        {
            await fixture.WestStorage.StartAgainAsync();
        }

        // Nothing else is written: the ReplicateSecrets job alone brings the replica in step.
        var stopwatch = Stopwatch.StartNew();
        string? replicaValue = null;
        string? primaryStatus = null;
        while (stopwatch.Elapsed < RecoveryTimeout && (primaryStatus != "InSync" || replicaValue != canary + "-2"))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            primaryStatus = (await SendOkAsync(fixture.EastClient, "DescribeSecret", new { SecretId = name })).GetProperty("ReplicationStatus")[0].GetProperty("Status").GetString();
            var read = await fixture.WestClient.SendAsync("GetSecretValue", JsonSerializer.Serialize(new { SecretId = name }));
            replicaValue = read.Status == 200 ? read.Json.GetProperty("SecretString").GetString() : null;
        }

        Assert.Equal("InSync", primaryStatus);
        Assert.Equal(canary + "-2", replicaValue);

        // The replica's answer names its Region and its primary's.
        var replica = await SendOkAsync(fixture.WestClient, "DescribeSecret", new { SecretId = name });
        Assert.Equal(ReplicationFixture.East, replica.GetProperty("PrimaryRegion").GetString());
        Assert.Contains(":eu-west-1:", replica.GetProperty("ARN").GetString(), StringComparison.Ordinal);

        // No value reached either service's output.
        Assert.DoesNotContain(canary, fixture.EastService.Log, StringComparison.Ordinal);
        Assert.DoesNotContain(canary, fixture.WestService.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplicaRegion_Wire_ErrorsAreAwsShaped()
    {
        var name = EndToEndFixture.UniquePrefix("wire") + "/db";
        await SendOkAsync(fixture.EastClient, "CreateSecret", new { Name = name, SecretString = "v", ClientRequestToken = Guid.NewGuid().ToString() });

        var invalid = await fixture.EastClient.SendAsync("ReplicateSecretToRegions", JsonSerializer.Serialize(new { SecretId = name, AddReplicaRegions = new[] { new { Region = "xx-nowhere-9" } } }));
        var hostile = await fixture.EastClient.SendAsync("ReplicateSecretToRegions", """{"SecretId":"x","AddReplicaRegions":[{"Region":"eu-west-1\r\nX-Injected: 1"}]}""");
        var wrongType = await fixture.EastClient.SendAsync("RemoveRegionsFromReplication", """{"SecretId":"x","RemoveReplicaRegions":"eu-west-1"}""");

        Assert.Equal((400, "InvalidParameterException"), (invalid.Status, invalid.ErrorType));
        Assert.Equal("""{"__type":"InvalidParameterException","Message":"Invalid replica region."}""", invalid.Body);
        Assert.Equal((400, "ValidationException"), (hostile.Status, hostile.ErrorType));
        Assert.DoesNotContain("X-Injected", hostile.Body, StringComparison.Ordinal);
        Assert.Equal(400, wrongType.Status);
    }

    private static async Task<JsonElement> SendOkAsync(SignedJsonClient client, string operation, object body)
    {
        var response = await client.SendAsync(operation, JsonSerializer.Serialize(body));
        Assert.True(response.Status == 200, $"{operation}: {response}");
        return response.Json;
    }
}
