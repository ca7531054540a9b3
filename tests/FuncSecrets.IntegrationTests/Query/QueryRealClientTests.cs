using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using FuncSecrets.Core.Audit;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace FuncSecrets.IntegrationTests.Query;

/// <summary>
/// Real Query-protocol clients against the app on Kestrel with SigV4 on: botocore's
/// QuerySerializer, SigV4Auth (signed form POST), SigV4QueryAuth (presigned GET) and QueryParser
/// (tests/clients/query/query_client.py), and <c>curl --aws-sigv4</c>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueryRealClientTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Signer = "aws:amz:us-east-1:secretsmanager";
    private QueryKestrelServer _server = null!;

    public async Task InitializeAsync() => _server = await QueryKestrelServer.StartAsync(azurite, "qreal");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Token() => Guid.NewGuid().ToString();

    /// <summary>Runs calls through botocore; each answer is {status, data | error, requestId, contentType, body}.</summary>
    private async Task<JsonArray> BotocoreAsync(object calls, string secretKey = QueryKestrelServer.SecretAccessKey, string accessKey = QueryKestrelServer.AccessKeyId)
    {
        var script = Path.Combine(AzuriteFixture.FindRepositoryRoot(), "tests", "clients", "query", "query_client.py");
        var (exit, output, error) = await QueryKestrelServer.RunAsync("python3",
            [script, "--endpoint", _server.Endpoint, "--access-key", accessKey, "--secret-key", secretKey], JsonSerializer.Serialize(calls));
        Assert.True(exit == 0, $"query_client.py failed ({exit}):\n{error}");
        var answers = JsonNode.Parse(output)!.AsArray();
        foreach (var answer in answers)
        {
            Assert.StartsWith("text/xml", (string?)answer!["contentType"]);
            Assert.Matches("^[0-9a-f-]{36}$", (string?)answer["requestId"]);
        }

        return answers;
    }

    private static JsonNode Data(JsonNode? answer)
    {
        Assert.True((int)answer!["status"]! == 200, answer.ToJsonString());
        return answer["data"]!;
    }

    [Fact]
    public async Task Botocore_EveryOperationWithBothSignatureForms_Succeeds()
    {
        const string value = "  <p a=\"1\">&amp;</p>\r\n\t'x' é 😀  ";
        string t1 = Token(), t2 = Token();
        var answers = await BotocoreAsync(new object[]
        {
            new { op = "CreateSecret", mode = "post", @params = new { Name = "bq/app", Description = "d <&>", SecretString = value, ClientRequestToken = t1, Tags = new[] { new { Key = "team", Value = "a&b" } } } },
            new { op = "GetSecretValue", mode = "get", @params = new { SecretId = "bq/app" } },
            new { op = "GetSecretValue", mode = "get-header", @params = new { SecretId = "bq/app" } },
            new { op = "PutSecretValue", mode = "post", @params = new { SecretId = "bq/app", SecretBinary = new { __b64 = "AAH7/z4=" }, ClientRequestToken = t2, VersionStages = new[] { "AWSCURRENT", "blue" } } },
            new { op = "GetSecretValue", mode = "get", @params = new { SecretId = "bq/app", VersionStage = "blue" } },
            new { op = "DescribeSecret", mode = "get", @params = new { SecretId = "bq/app" } },
            new { op = "ListSecrets", mode = "post", @params = new { Filters = new[] { new { Key = "name", Values = new[] { "bq/", "!bq/other" } } }, MaxResults = 10 } },
            new { op = "ListSecretVersionIds", mode = "get", @params = new { SecretId = "bq/app", IncludeDeprecated = true } },
            new { op = "UpdateSecretVersionStage", mode = "post", @params = new { SecretId = "bq/app", VersionStage = "blue", RemoveFromVersionId = t2, MoveToVersionId = t1 } },
            new { op = "TagResource", mode = "post", @params = new { SecretId = "bq/app", Tags = new[] { new { Key = "env", Value = "prod" } } } },
            new { op = "UntagResource", mode = "get", @params = new { SecretId = "bq/app", TagKeys = new[] { "team" } } },
            new { op = "UpdateSecret", mode = "post", @params = new { SecretId = "bq/app", Description = "d2" } },
            new { op = "BatchGetSecretValue", mode = "post", @params = new { SecretIdList = new[] { "bq/app", "bq/none" } } },
            new { op = "GetRandomPassword", mode = "get", @params = new { PasswordLength = 24, ExcludePunctuation = true } },
            new { op = "DeleteSecret", mode = "post", @params = new { SecretId = "bq/app", RecoveryWindowInDays = 7 } },
            new { op = "RestoreSecret", mode = "get", @params = new { SecretId = "bq/app" } },
            new { op = "DeleteSecret", mode = "get-header", @params = new { SecretId = "bq/app", ForceDeleteWithoutRecovery = true } },
        });

        var created = Data(answers[0]);
        Assert.Equal(("bq/app", t1), ((string?)created["Name"], (string?)created["VersionId"]));
        Assert.Matches("^arn:aws:secretsmanager:us-east-1:123456789012:secret:bq/app-[A-Za-z0-9]{6}$", (string?)created["ARN"]);

        // Presigned GET and header-signed GET read the value back byte for byte.
        Assert.Equal(value, (string?)Data(answers[1])["SecretString"]);
        Assert.Equal(value, (string?)Data(answers[2])["SecretString"]);
        Assert.Equal(["AWSCURRENT"], Data(answers[1])["VersionStages"]!.AsArray().Select(n => (string?)n));
        Assert.True(DateTimeOffset.TryParse((string?)Data(answers[1])["CreatedDate"], CultureInfo.InvariantCulture, out _));

        Assert.Equal(["AWSCURRENT", "blue"], Data(answers[3])["VersionStages"]!.AsArray().Select(n => (string?)n).Order());
        Assert.Equal("AAH7/z4=", (string?)Data(answers[4])["SecretBinary"]!["__b64"]);

        var described = Data(answers[5]);
        Assert.Equal("d <&>", (string?)described["Description"]);
        var tag = Assert.Single(described["Tags"]!.AsArray());
        Assert.Equal(("team", "a&b"), ((string?)tag!["Key"], (string?)tag["Value"]));
        var stages = described["VersionIdsToStages"]!.AsObject();
        Assert.Equal(["AWSPREVIOUS"], stages[t1]!.AsArray().Select(n => (string?)n));
        Assert.Equal(["AWSCURRENT", "blue"], stages[t2]!.AsArray().Select(n => (string?)n).Order());

        Assert.Equal(["bq/app"], Data(answers[6])["SecretList"]!.AsArray().Select(e => (string?)e!["Name"]));
        Assert.Equal(2, Data(answers[7])["Versions"]!.AsArray().Count);
        Assert.Equal("bq/app", (string?)Data(answers[8])["Name"]);
        Assert.Empty(Data(answers[9]).AsObject());
        Assert.Empty(Data(answers[10]).AsObject());
        Assert.Null(Data(answers[11])["VersionId"]);

        var batch = Data(answers[12]);
        Assert.Equal(["AAH7/z4="], batch["SecretValues"]!.AsArray().Select(v => (string?)v!["SecretBinary"]!["__b64"]));
        Assert.Equal("ResourceNotFoundException", (string?)batch["Errors"]![0]!["ErrorCode"]);

        var password = (string)Data(answers[13])["RandomPassword"]!;
        Assert.Equal(24, password.Length);
        Assert.DoesNotContain(password, char.IsPunctuation);

        Assert.NotNull(Data(answers[14])["DeletionDate"]);
        Assert.Equal("bq/app", (string?)Data(answers[15])["Name"]);
        Assert.Equal("bq/app", (string?)Data(answers[16])["Name"]);
    }

    [Fact]
    public async Task Botocore_RotationPolicyAndReplicationOperations_AreParsed()
    {
        const string policy = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"secretsmanager:GetSecretValue","Resource":"*"}]}""";
        var answers = await BotocoreAsync(new object[]
        {
            new { op = "CreateSecret", mode = "post", @params = new { Name = "bq/rot", SecretString = "p", ClientRequestToken = Token() } },
            new { op = "PutResourcePolicy", mode = "post", @params = new { SecretId = "bq/rot", ResourcePolicy = policy, BlockPublicPolicy = true } },
            new { op = "GetResourcePolicy", mode = "get", @params = new { SecretId = "bq/rot" } },
            new { op = "ValidateResourcePolicy", mode = "post", @params = new { ResourcePolicy = policy } },
            new { op = "DeleteResourcePolicy", mode = "get-header", @params = new { SecretId = "bq/rot" } },
            new { op = "RotateSecret", mode = "post", @params = new { SecretId = "bq/rot", ClientRequestToken = Token(), RotationLambdaARN = "funcsecrets:builtin:password", RotationRules = new { AutomaticallyAfterDays = 30 }, RotateImmediately = false } },
            new { op = "DescribeSecret", mode = "get", @params = new { SecretId = "bq/rot" } },
            new { op = "CancelRotateSecret", mode = "post", @params = new { SecretId = "bq/rot" } },
            new { op = "ReplicateSecretToRegions", mode = "post", @params = new { SecretId = "bq/rot", AddReplicaRegions = new[] { new { Region = "eu-west-1" } } } },
            new { op = "RemoveRegionsFromReplication", mode = "get", @params = new { SecretId = "bq/rot", RemoveReplicaRegions = new[] { "eu-west-1" } } },
            new { op = "StopReplicationToReplica", mode = "post", @params = new { SecretId = "bq/rot" } },
        });

        Assert.Equal(policy, (string?)Data(answers[2])["ResourcePolicy"]);
        Assert.True((bool)Data(answers[3])["PolicyValidationPassed"]!);
        Assert.Equal("bq/rot", (string?)Data(answers[4])["Name"]);
        Assert.Equal("bq/rot", (string?)Data(answers[5])["Name"]);
        var described = Data(answers[6]);
        Assert.Equal((true, 30), ((bool)described["RotationEnabled"]!, (int)described["RotationRules"]!["AutomaticallyAfterDays"]!));
        Assert.True(DateTimeOffset.TryParse((string?)described["NextRotationDate"], CultureInfo.InvariantCulture, out _));
        Assert.Equal("bq/rot", (string?)Data(answers[7])["Name"]);

        // No peer Region is configured (issue 14): eu-west-1 is an invalid replica Region, removing
        // a Region the secret has no replica in changes nothing, and a primary is no replica.
        Assert.Equal("InvalidParameterException", (string?)answers[8]!["error"]!["Code"]);
        Assert.Contains(":secret:bq/rot-", (string?)Data(answers[9])["ARN"], StringComparison.Ordinal);
        Assert.Equal("InvalidRequestException", (string?)answers[10]!["error"]!["Code"]);
    }

    [Fact]
    public async Task Botocore_Calls_AreAuditedAsJsonCallsAreWithoutTheSecretValue()
    {
        const string canary = "query-audit-canary-5d1e0b";
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        var answers = await BotocoreAsync(new object[]
        {
            new { op = "CreateSecret", mode = "post", @params = new { Name = "bq/audit", SecretString = canary, ClientRequestToken = Token() } },
            new { op = "GetSecretValue", mode = "get", @params = new { SecretId = "bq/audit" } },
            new { op = "GetSecretValue", mode = "post", @params = new { SecretId = "bq/audit-missing" } },
        });

        var sink = _server.Services.GetRequiredService<BufferedAuditSink>();
        await sink.FlushAsync();
        var ids = answers.Select(a => (string?)a!["requestId"]).ToList();
        var records = new List<AuditRecord>();
        await foreach (var record in sink.ReadAsync(start, DateTimeOffset.UtcNow.AddMinutes(1), null, CancellationToken.None))
        {
            if (ids.Contains(record.RequestId))
            {
                records.Add(record);
            }
        }

        Assert.Equal(ids, records.Select(r => r.RequestId));
        Assert.Equal(["CreateSecret", "GetSecretValue", "GetSecretValue"], records.Select(r => r.EventName));
        Assert.All(records, r => Assert.Equal(("test", "arn:aws:iam::123456789012:root"), (r.AccessKeyId, r.PrincipalArn)));
        Assert.Equal((string?)Data(answers[0])["ARN"], records[0].Resource);
        Assert.Contains(AuditRedactor.Hidden, records[0].RequestParameters);
        Assert.Equal((null, "ResourceNotFoundException"), (records[1].ErrorCode, records[2].ErrorCode));
        Assert.DoesNotContain(records, r => JsonSerializer.Serialize(r).Contains(canary, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Botocore_ServiceError_IsParsedIntoCodeAndMessage()
    {
        var answers = await BotocoreAsync(new object[]
        {
            new { op = "GetSecretValue", mode = "get", @params = new { SecretId = "bq/none" } },
            new { op = "CreateSecret", mode = "post", @params = new { Name = "bq/no-token", SecretString = "x" } },
            new { op = "DeleteSecret", mode = "post", @params = new { SecretId = "x", RecoveryWindowInDays = 3 } },
        });

        Assert.Equal((400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.", "Sender"),
            ((int)answers[0]!["status"]!, (string?)answers[0]!["error"]!["Code"], (string?)answers[0]!["error"]!["Message"], (string?)answers[0]!["error"]!["Type"]));
        Assert.Equal("InvalidRequestException", (string?)answers[1]!["error"]!["Code"]);
        Assert.Equal("InvalidParameterException", (string?)answers[2]!["error"]!["Code"]);
    }

    [Theory]
    [InlineData("post")]
    [InlineData("get")]
    [InlineData("get-header")]
    public async Task Botocore_WrongSecretKey_ReturnsInvalidSignature(string mode)
    {
        var answers = await BotocoreAsync(new object[] { new { op = "ListSecrets", mode, @params = new { } } }, secretKey: "wrong");

        Assert.Equal((400, "InvalidSignatureException"), ((int)answers[0]!["status"]!, (string?)answers[0]!["error"]!["Code"]));
    }

    [Fact]
    public async Task Botocore_UnknownAccessKey_ReturnsUnrecognizedClient()
    {
        var answers = await BotocoreAsync(new object[] { new { op = "ListSecrets", mode = "post", @params = new { } } }, accessKey: "AKIAUNKNOWN000000000");

        Assert.Equal("UnrecognizedClientException", (string?)answers[0]!["error"]!["Code"]);
    }

    [Fact]
    public async Task Curl_AwsSigV4GetAndFormPost_AreAnswered()
    {
        var name = "curl-" + Guid.NewGuid().ToString("N")[..8];
        var (exit, output, error) = await QueryKestrelServer.RunAsync("curl",
        [
            "-sS", "--aws-sigv4", Signer, "--user", "test:test", _server.Endpoint + "/",
            "--data-urlencode", "Action=CreateSecret", "--data-urlencode", "Version=2017-10-17", "--data-urlencode", "Name=" + name,
            "--data-urlencode", "SecretString=s3cr3t <&> +", "--data-urlencode", "ClientRequestToken=" + Token(),
            "--data-urlencode", "Tags.member.1.Key=k", "--data-urlencode", "Tags.member.1.Value=v",
        ]);
        Assert.True(exit == 0, error);
        Assert.Equal(QueryWire.Ns + "CreateSecretResponse", XDocument.Parse(output).Root!.Name);

        (exit, output, error) = await QueryKestrelServer.RunAsync("curl",
            ["-sS", "--aws-sigv4", Signer, "--user", "test:test", $"{_server.Endpoint}/?Action=GetSecretValue&SecretId={name}&Version=2017-10-17"]);
        Assert.True(exit == 0, error);
        var result = XDocument.Parse(output).Root!.Element(QueryWire.Ns + "GetSecretValueResult");
        Assert.True(result is not null, output);
        Assert.Equal("s3cr3t <&> +", result.Element(QueryWire.Ns + "SecretString")!.Value);
    }

    [Fact]
    public async Task CurlSigV4_JsonCall_SignsTargetAndBodyAndIsAccepted_Issue11()
    {
        // Issue 11: X-Amz-Target and the body must be signed; curl signs both, so it keeps working.
        var (exit, output, error) = await QueryKestrelServer.RunAsync("curl",
        [
            "-sS", "--aws-sigv4", Signer, "--user", "test:test", _server.Endpoint + "/",
            "-H", "X-Amz-Target: secretsmanager.ListSecrets", "-H", "Content-Type: application/x-amz-json-1.1", "--data", "{}",
        ]);

        Assert.True(exit == 0, error);
        Assert.Contains("\"SecretList\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Curl_WithoutSignature_ReturnsMissingAuthenticationToken()
    {
        var (_, output, _) = await QueryKestrelServer.RunAsync("curl", ["-sS", $"{_server.Endpoint}/?Action=ListSecrets&Version=2017-10-17"]);

        var error = XDocument.Parse(output).Root!.Element(QueryWire.Ns + "Error")!;
        Assert.Equal("MissingAuthenticationTokenException", error.Element(QueryWire.Ns + "Code")!.Value);
    }

    [Theory]
    [InlineData(10 * 1024, 414, true)]
    [InlineData(100 * 1024, 414, false)]
    public async Task Kestrel_LongGetUrl_AnswersInsteadOfResetting(int length, int status, bool awsShaped)
    {
        using var client = new HttpClient();

        using var response = await client.GetAsync($"{_server.Endpoint}/?Action=ListSecrets&Version=2017-10-17&NextToken={new string('a', length)}");

        // Up to Kestrel's request-line limit (64 KiB) the Query door answers; beyond it Kestrel does.
        Assert.Equal(status, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        if (awsShaped)
        {
            Assert.Equal("InvalidQueryParameter", XDocument.Parse(body).Root!.Element(QueryWire.Ns + "Error")!.Element(QueryWire.Ns + "Code")!.Value);
        }
    }
}
