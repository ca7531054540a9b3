using System.Text.Json.Nodes;
using FuncSecrets.IntegrationTests.Security;
using FuncSecrets.TestSupport.Tables;

namespace FuncSecrets.IntegrationTests.Faults.Support;

/// <summary>What must hold for a secret after any fault, checked through the API and the raw rows.</summary>
public static class SecretChecks
{
    /// <summary>
    /// Label invariants: a label on at most one version, exactly one AWSCURRENT; every listed
    /// version opens; the unversioned read returns the AWSCURRENT version's value. Returns the
    /// version ids with their labels.
    /// </summary>
    public static async Task<Dictionary<string, List<string>>> AssertInvariantsAsync(SigningClient client, string name)
    {
        var listed = await client.OkAsync("ListSecretVersionIds", new { SecretId = name, IncludeDeprecated = true, MaxResults = 100 });
        Assert.Null(listed["NextToken"]);
        var versions = listed["Versions"]!.AsArray().ToDictionary(
            v => (string)v!["VersionId"]!,
            v => v!["VersionStages"]?.AsArray().Select(s => (string)s!).ToList() ?? []);
        var holders = versions.SelectMany(v => v.Value.Select(label => (label, v.Key))).GroupBy(p => p.label).ToList();
        foreach (var label in holders)
        {
            Assert.True(label.Count() == 1, $"{name}: label {label.Key} is on {label.Count()} versions.");
        }

        var current = Assert.Single(versions, v => v.Value.Contains("AWSCURRENT")).Key;
        foreach (var version in versions.Keys)
        {
            var read = await client.CallAsync("GetSecretValue", new { SecretId = name, VersionId = version });
            Assert.True(read.Status == 200, $"{name}: version {version} does not open: {read.Status} {read.Text}");
        }

        var plain = await client.OkAsync("GetSecretValue", new { SecretId = name });
        Assert.Equal(current, (string?)plain["VersionId"]);
        var byVersion = await client.OkAsync("GetSecretValue", new { SecretId = name, VersionId = current });
        Assert.Equal((string?)byVersion["SecretString"], (string?)plain["SecretString"]);
        return versions;
    }

    /// <summary>Every acknowledged version still holds exactly the value that was acknowledged.</summary>
    public static async Task AssertVersionsAsync(SigningClient client, string name, IEnumerable<KeyValuePair<string, string>> acknowledged)
    {
        foreach (var (versionId, value) in acknowledged)
        {
            var read = await client.CallAsync("GetSecretValue", new { SecretId = name, VersionId = versionId });
            Assert.True(read.Status == 200, $"{name}: acknowledged version {versionId} is gone: {read.Status} {read.Text}");
            Assert.True(value == (string?)read.Json["SecretString"], $"{name}: acknowledged version {versionId} holds another value.");
        }
    }

    /// <summary>No partition of the secrets table holds rows without its metadata row (a half-written secret).</summary>
    public static async Task AssertNoPartialSecretsAsync(FaultScenario scenario)
    {
        var tables = new RawTables(scenario.ConnectionString);
        var rows = await tables.ScanAsync(scenario.TableName);
        foreach (var partition in rows.GroupBy(r => r.PartitionKey))
        {
            Assert.True(partition.Any(r => r.RowKey == "meta"), $"Partition {partition.Key} has {partition.Count()} rows and no metadata row.");
        }
    }

    /// <summary>The error body AWS clients parse: a JSON object with string <c>__type</c> and <c>Message</c>.</summary>
    public static bool IsAwsErrorShape(string body, out string? code)
    {
        code = null;
        try
        {
            if (JsonNode.Parse(body) is JsonObject json
                && json["__type"] is JsonValue type && type.TryGetValue(out string? value)
                && json["Message"] is JsonValue message && message.TryGetValue(out string? _))
            {
                code = value;
                return true;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: not the shape.
        }

        return false;
    }
}
