using System.Text.Json.Nodes;
using FuncSecrets.Core.Audit;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Security;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Console;

/// <summary>
/// CloudTrail's LookupEvents over the audit trail's files (issues 15, 16), signed with AWSSDK.Core's signer for
/// the service <c>cloudtrail</c>: newest first, one secret's events, paging, CloudTrail's errors,
/// and <c>cloudtrail:LookupEvents</c> in the caller's policy.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class LookupEventsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Canary = "lookup-canary-4c1d9e";
    private const string TrailPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
    private ApiHarness _api = null!;
    private SigningClient _secrets = null!;
    private SigningClient _trail = null!;
    private SigningClient _limitedTrail = null!;

    public async Task InitializeAsync()
    {
        _api = await ApiHarness.StartAsync(azurite, "lookup", new Dictionary<string, string?>
        {
            ["FuncSecrets:Auth:Enabled"] = "true",
            ["FuncSecrets:Auth:AccessKeys:0:AccessKeyId"] = "AKIDLOOKUPADMIN",
            ["FuncSecrets:Auth:AccessKeys:0:SecretAccessKey"] = "lookup-admin-secret",
            ["FuncSecrets:Auth:AccessKeys:0:PrincipalArn"] = "arn:aws:iam::123456789012:user/admin",
            ["FuncSecrets:Auth:AccessKeys:1:AccessKeyId"] = "AKIDLOOKUPAPP",
            ["FuncSecrets:Auth:AccessKeys:1:SecretAccessKey"] = "lookup-app-secret",
            ["FuncSecrets:Auth:AccessKeys:1:PrincipalArn"] = "arn:aws:iam::123456789012:user/app",
            ["FuncSecrets:Auth:AccessKeys:1:Policy"] = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"secretsmanager:*","Resource":"*"}]}""",
        });
        _api.Time.SetUtcNow(DateTimeOffset.UtcNow);
        Func<DateTime> clock = () => _api.Time.GetUtcNow().UtcDateTime;
        _secrets = new SigningClient(_api.Client, "AKIDLOOKUPADMIN", "lookup-admin-secret") { Clock = clock };
        _trail = new SigningClient(_api.Client, "AKIDLOOKUPADMIN", "lookup-admin-secret", service: "cloudtrail") { Clock = clock, TargetPrefix = TrailPrefix };
        _limitedTrail = new SigningClient(_api.Client, "AKIDLOOKUPAPP", "lookup-app-secret", service: "cloudtrail") { Clock = clock, TargetPrefix = TrailPrefix };
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task LookupEvents_ByResourceName_ThatSecretsEventsNewestFirst()
    {
        var arn = await SeedAsync("lookup/db");
        await _secrets.OkAsync("CreateSecret", new { Name = "lookup/other", SecretString = Canary, ClientRequestToken = ApiHarness.Token() });
        await FlushAsync();

        var answer = await _trail.OkAsync("LookupEvents", new { LookupAttributes = new[] { new { AttributeKey = "ResourceName", AttributeValue = "lookup/db" } } });

        var events = answer["Events"]!.AsArray();
        Assert.Equal(["PutSecretValue", "GetSecretValue", "CreateSecret"], events.Select(e => (string)e!["EventName"]!));
        Assert.Null(answer["NextToken"]);
        var put = events[0]!;
        Assert.Equal("false", (string?)put["ReadOnly"]);
        Assert.Equal("true", (string?)events[1]!["ReadOnly"]);
        Assert.Equal("AKIDLOOKUPADMIN", (string?)put["AccessKeyId"]);
        Assert.Equal("admin", (string?)put["Username"]);
        Assert.Equal("secretsmanager.amazonaws.com", (string?)put["EventSource"]);
        Assert.Equal(arn, (string?)put["Resources"]![0]!["ResourceName"]);
        Assert.Equal("AWS::SecretsManager::Secret", (string?)put["Resources"]![0]!["ResourceType"]);
        Assert.True((double)put["EventTime"]! > (double)events[2]!["EventTime"]!);

        var trailEvent = JsonNode.Parse((string)put["CloudTrailEvent"]!)!;
        Assert.Equal("PutSecretValue", (string?)trailEvent["eventName"]);
        Assert.Equal("arn:aws:iam::123456789012:user/admin", (string?)trailEvent["userIdentity"]!["arn"]);
        Assert.Equal(AuditRedactor.Hidden, (string?)trailEvent["requestParameters"]!["SecretString"]);
        Assert.Equal("us-east-1", (string?)trailEvent["awsRegion"]);
        Assert.DoesNotContain(Canary, answer.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LookupEvents_PageByPage_EveryEventOnceInOrder()
    {
        await SeedAsync("lookup/paged");
        await FlushAsync();
        var request = new { LookupAttributes = new[] { new { AttributeKey = "ResourceName", AttributeValue = "lookup/paged" } }, MaxResults = 1, StartTime = RecentStart() };

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await _trail.OkAsync("LookupEvents", token is null ? request : new { request.LookupAttributes, request.MaxResults, request.StartTime, NextToken = token });
            seen.AddRange(page["Events"]!.AsArray().Select(e => (string)e!["EventName"]!));
            token = (string?)page["NextToken"];
        }
        while (token is not null && seen.Count < 10);

        Assert.Equal(["PutSecretValue", "GetSecretValue", "CreateSecret"], seen);
    }

    [Fact]
    public async Task LookupEvents_ByEventName_AcrossSecrets()
    {
        await SeedAsync("lookup/byname");
        await FlushAsync();

        var answer = await _trail.OkAsync("LookupEvents", new { LookupAttributes = new[] { new { AttributeKey = "EventName", AttributeValue = "GetSecretValue" } }, StartTime = RecentStart() });

        Assert.NotEmpty(answer["Events"]!.AsArray());
        Assert.All(answer["Events"]!.AsArray(), e => Assert.Equal("GetSecretValue", (string?)e!["EventName"]));
    }

    [Fact]
    public async Task LookupEvents_PolicyWithoutCloudTrailAction_AccessDenied()
    {
        var response = await _limitedTrail.CallAsync("LookupEvents", new { });

        Assert.Equal(400, response.Status);
        Assert.Equal("AccessDeniedException", (string?)response.Json["__type"]);
        Assert.Equal(
            "User: arn:aws:iam::123456789012:user/app is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action",
            (string?)response.Json["Message"]);
    }

    [Fact]
    public async Task LookupEvents_SignedForSecretsManager_InvalidSignature()
    {
        var wrongService = new SigningClient(_api.Client, "AKIDLOOKUPADMIN", "lookup-admin-secret") { Clock = () => _api.Time.GetUtcNow().UtcDateTime, TargetPrefix = TrailPrefix };
        var response = await wrongService.CallAsync("LookupEvents", new { });

        Assert.Equal(400, response.Status);
        Assert.Equal("InvalidSignatureException", (string?)response.Json["__type"]);
        Assert.Contains("'cloudtrail'", (string?)response.Json["Message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"a"},{"AttributeKey":"EventName","AttributeValue":"b"}]}""", "InvalidLookupAttributesException")]
    [InlineData("""{"LookupAttributes":[{"AttributeKey":"Color","AttributeValue":"blue"}]}""", "InvalidLookupAttributesException")]
    [InlineData("""{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":""}]}""", "InvalidLookupAttributesException")]
    [InlineData("""{"MaxResults":0}""", "InvalidMaxResultsException")]
    [InlineData("""{"MaxResults":51}""", "InvalidMaxResultsException")]
    [InlineData("""{"StartTime":1700000100,"EndTime":1700000000}""", "InvalidTimeRangeException")]
    [InlineData("""{"EventCategory":"management"}""", "InvalidEventCategoryException")]
    [InlineData("""{"NextToken":"not-a-token"}""", "InvalidNextTokenException")]
    [InlineData("""{"MaxResults":"ten"}""", "SerializationException")]
    public async Task LookupEvents_BadRequest_CloudTrailError(string body, string code)
    {
        var response = await _trail.CallAsync("LookupEvents", JsonNode.Parse(body)!);

        Assert.Equal(400, response.Status);
        Assert.Equal(code, (string?)response.Json["__type"]);
    }

    [Fact]
    public async Task CloudTrail_OtherOperation_UnknownOperation()
    {
        var response = await _trail.CallAsync("DescribeTrails", new { });

        Assert.Equal(400, response.Status);
        Assert.Equal("UnknownOperationException", (string?)response.Json["__type"]);
    }

    /// <summary>Create, read and put one secret, a second apart each, as the administrator; returns its ARN.</summary>
    private async Task<string> SeedAsync(string name)
    {
        var created = await _secrets.OkAsync("CreateSecret", new { Name = name, SecretString = Canary, ClientRequestToken = ApiHarness.Token() });
        _api.Time.Advance(TimeSpan.FromSeconds(1));
        await _secrets.OkAsync("GetSecretValue", new { SecretId = name });
        _api.Time.Advance(TimeSpan.FromSeconds(1));
        await _secrets.OkAsync("PutSecretValue", new { SecretId = name, SecretString = Canary + "-2", ClientRequestToken = ApiHarness.Token() });
        _api.Time.Advance(TimeSpan.FromSeconds(1));
        return (string)created["ARN"]!;
    }

    /// <summary>An hour before the test clock: the default 90-day window is covered by one test, not by every one.</summary>
    private long RecentStart() => _api.Time.GetUtcNow().AddHours(-1).ToUnixTimeSeconds();

    private Task FlushAsync() => _api.Services.GetRequiredService<BufferedAuditSink>().FlushAsync();
}
