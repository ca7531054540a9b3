using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSecrets.Host.Protocol;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Query;

/// <summary>
/// One scenario through both front doors of one app (Azurite behind it): every step's answer
/// from the Query door, read back from XML, must equal the JSON door's answer field by field
/// (status, every member, error code and message), once each door's own secret name and ARN
/// are replaced by placeholders.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProtocolParityTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string TokenA = "00000000-0000-4000-8000-00000000000a";
    private const string TokenB = "00000000-0000-4000-8000-00000000000b";

    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(azurite, "parity");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    /// <summary>The scenario; "{S}" is the door's secret name.</summary>
    private static IEnumerable<(string Operation, string Body)> Scenario() =>
    [
        ("CreateSecret", """{"Name":"{S}","Description":"d <&> \"q\"","SecretString":"v1 <&>\r\n\t' é 😀","ClientRequestToken":"00000000-0000-4000-8000-00000000000a","Tags":[{"Key":"team","Value":"a&b"}]}"""),
        ("DescribeSecret", """{"SecretId":"{S}"}"""),
        ("PutSecretValue", """{"SecretId":"{S}","SecretBinary":"AAH7/z4=","ClientRequestToken":"00000000-0000-4000-8000-00000000000b"}"""),
        ("GetSecretValue", """{"SecretId":"{S}"}"""),
        ("GetSecretValue", """{"SecretId":"{S}","VersionStage":"AWSPREVIOUS"}"""),
        ("GetSecretValue", """{"SecretId":"{S}","VersionId":"00000000-0000-4000-8000-00000000000a","VersionStage":"AWSCURRENT"}"""),
        ("UpdateSecretVersionStage", """{"SecretId":"{S}","VersionStage":"custom","MoveToVersionId":"00000000-0000-4000-8000-00000000000a"}"""),
        ("UpdateSecretVersionStage", """{"SecretId":"{S}","VersionStage":"AWSCURRENT","MoveToVersionId":"00000000-0000-4000-8000-00000000000a"}"""),
        ("ListSecretVersionIds", """{"SecretId":"{S}","IncludeDeprecated":true}"""),
        ("ListSecretVersionIds", """{"SecretId":"{S}","MaxResults":1}"""),
        ("TagResource", """{"SecretId":"{S}","Tags":[{"Key":"env","Value":"prod"},{"Key":"tier","Value":"1"}]}"""),
        ("UntagResource", """{"SecretId":"{S}","TagKeys":["team","tier"]}"""),
        ("UpdateSecret", """{"SecretId":"{S}","Description":"d2"}"""),
        ("DescribeSecret", """{"SecretId":"{S}"}"""),
        ("ListSecrets", """{"Filters":[{"Key":"name","Values":["{S}"]}],"MaxResults":5}"""),
        ("ListSecrets", """{"Filters":[{"Key":"name","Values":["{S}"]},{"Key":"tag-key","Values":["env","!nope"]}],"SortOrder":"asc"}"""),
        ("BatchGetSecretValue", """{"SecretIdList":["{S}","{S}-missing"]}"""),
        ("PutResourcePolicy", """{"SecretId":"{S}","ResourcePolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:root\"},\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\"}]}","BlockPublicPolicy":true}"""),
        ("GetResourcePolicy", """{"SecretId":"{S}"}"""),
        ("ValidateResourcePolicy", """{"SecretId":"{S}","ResourcePolicy":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"secretsmanager:*\",\"Resource\":\"*\"}]}"}"""),
        ("ValidateResourcePolicy", """{"ResourcePolicy":"not json"}"""),
        ("DeleteResourcePolicy", """{"SecretId":"{S}"}"""),
        ("RotateSecret", """{"SecretId":"{S}","ClientRequestToken":"00000000-0000-4000-8000-00000000000d","RotationLambdaARN":"funcsecrets:builtin:password","RotationRules":{"ScheduleExpression":"rate(10 days)","Duration":"2h"},"RotateImmediately":false}"""),
        ("RotateSecret", """{"SecretId":"{S}","RotationRules":{"AutomaticallyAfterDays":0}}"""),
        ("DescribeSecret", """{"SecretId":"{S}"}"""),
        ("CancelRotateSecret", """{"SecretId":"{S}"}"""),
        ("DeleteSecret", """{"SecretId":"{S}","RecoveryWindowInDays":7}"""),
        ("GetSecretValue", """{"SecretId":"{S}"}"""),
        ("ListSecrets", """{"IncludePlannedDeletion":true,"Filters":[{"Key":"name","Values":["{S}"]}]}"""),
        ("RestoreSecret", """{"SecretId":"{S}"}"""),
        ("CreateSecret", """{"Name":"{S}","SecretString":"again","ClientRequestToken":"00000000-0000-4000-8000-00000000000c"}"""),
        ("DescribeSecret", """{"SecretId":"{S}-missing"}"""),
        ("DeleteSecret", """{"SecretId":"{S}","RecoveryWindowInDays":3}"""),
        ("ListSecretVersionIds", """{"SecretId":"{S}","NextToken":"not-a-token"}"""),
        ("ReplicateSecretToRegions", """{"SecretId":"{S}","AddReplicaRegions":[{"Region":"eu-west-1"}]}"""),
        ("RemoveRegionsFromReplication", """{"SecretId":"{S}","RemoveReplicaRegions":["eu-west-1"]}"""),
        ("StopReplicationToReplica", """{"SecretId":"{S}"}"""),
        ("GetRandomPassword", """{"PasswordLength":0}"""),
        ("DeleteSecret", """{"SecretId":"{S}","ForceDeleteWithoutRecovery":true}"""),
        ("DescribeSecret", """{"SecretId":"{S}"}"""),
    ];

    [Fact]
    public async Task Scenario_ThroughJsonAndQuery_GivesTheSameAnswersFieldByField()
    {
        var steps = Scenario().ToList();
        Assert.Equal(OperationTable.Operations.Keys.Order(), steps.Select(s => s.Operation).Distinct().Order());
        var viaJson = await RunAsync("pj-app", steps, query: false);
        var viaQuery = await RunAsync("pq-app", steps, query: true);

        for (var i = 0; i < steps.Count; i++)
        {
            Assert.True(JsonNode.DeepEquals(viaJson[i], viaQuery[i]), $"step {i} {steps[i].Operation}:\n json: {viaJson[i]?.ToJsonString()}\nquery: {viaQuery[i]?.ToJsonString()}");
        }

        // The scenario really covers both outcomes, with values that need escaping.
        Assert.Contains(viaJson, r => (int)r!["status"]! == 400);
        Assert.Equal("v1 <&>\r\n\t' é 😀", (string?)viaQuery[4]!["body"]!["SecretString"]);
    }

    [Fact]
    public async Task GetRandomPassword_ThroughBothDoors_FollowsTheSameRules()
    {
        const string request = """{"PasswordLength":40,"ExcludePunctuation":true,"IncludeSpace":false,"ExcludeCharacters":"abc"}""";

        var json = await _api.OkAsync("GetRandomPassword", request);
        var query = await QueryWire.CallAsync(_api.Client, "GetRandomPassword", JsonNode.Parse(request));

        var password = (string)query.Result("GetRandomPassword")["RandomPassword"]!;
        Assert.Equal(40, ((string)json["RandomPassword"]!).Length);
        Assert.Equal(40, password.Length);
        Assert.DoesNotContain(password, c => char.IsPunctuation(c) || char.IsSymbol(c) || "abc ".Contains(c));
    }

    /// <summary>Runs the steps through one door; each answer as {status, body} or {status, code, message}.</summary>
    private async Task<List<JsonNode?>> RunAsync(string name, List<(string Operation, string Body)> steps, bool query)
    {
        var answers = new List<JsonNode?>();
        string? arn = null;
        foreach (var (operation, template) in steps)
        {
            var body = template.Replace("{S}", name, StringComparison.Ordinal);
            JsonObject answer;
            if (query)
            {
                var response = await QueryWire.CallAsync(_api.Client, operation, JsonNode.Parse(body), answers.Count % 2 == 0 ? QueryWire.Method.Post : QueryWire.Method.Get);
                Assert.Equal("text/xml", response.ContentType);
                if (response.Status == 200)
                {
                    answer = new JsonObject { ["status"] = 200, ["body"] = response.Result(operation) };
                }
                else
                {
                    var (type, code, message) = response.Error();
                    Assert.Equal(response.Status < 500 ? "Sender" : "Receiver", type);
                    answer = new JsonObject { ["status"] = response.Status, ["code"] = code, ["message"] = message };
                }
            }
            else
            {
                var response = await _api.CallAsync(operation, body);
                var info = OperationTable.Operations[operation].ResponseInfo;
                answer = response.Status == 200
                    ? new JsonObject { ["status"] = 200, ["body"] = JsonNode.Parse(JsonSerializer.Serialize(JsonSerializer.Deserialize(response.Text, info), info)) }
                    : new JsonObject { ["status"] = response.Status, ["code"] = (string?)response.Json["__type"], ["message"] = (string?)response.Json["Message"] };
            }

            arn ??= (string?)answer["body"]?["ARN"];

            // Page tokens are opaque and name the secret they page through.
            if (answer["body"]?["NextToken"] is not null)
            {
                answer["body"]!["NextToken"] = "<NextToken>";
            }

            var text = answer.ToJsonString();
            if (arn is not null)
            {
                text = text.Replace(arn, "<ARN>", StringComparison.Ordinal);
            }

            answers.Add(JsonNode.Parse(text.Replace(name, "<S>", StringComparison.Ordinal)));
        }

        return answers;
    }
}
