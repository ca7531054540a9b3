using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using FuncSecrets.IntegrationTests.Api;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Query;

/// <summary>The Query door on the wire, in process over Azurite: routing, protocol errors, limits, XML.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class QueryFrontDoorTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private ApiHarness _api = null!;

    public async Task InitializeAsync() => _api = await ApiHarness.StartAsync(azurite, "qdoor");

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<QueryResponse> Send(string form, QueryWire.Method method = QueryWire.Method.Post) =>
        QueryWire.SendAsync(_api.Client, form, method);

    private static void AssertError(QueryResponse response, int status, string code, string message)
    {
        Assert.Equal((status, "text/xml"), (response.Status, response.ContentType));
        Assert.Equal((status < 500 ? "Sender" : "Receiver", code, message), response.Error());
    }

    [Fact]
    public async Task Get_QueryStringRequest_AnswersXmlWithTheRequestIdHeader()
    {
        await _api.OkAsync("CreateSecret", new { Name = "q/get", SecretString = "v", ClientRequestToken = ApiHarness.Token() });

        var response = await Send("Action=GetSecretValue&Version=2017-10-17&SecretId=q%2Fget", QueryWire.Method.Get);

        Assert.Equal((200, "text/xml"), (response.Status, response.ContentType));
        Assert.Matches("^[0-9a-f-]{36}$", response.RequestId);
        var result = response.Result("GetSecretValue");
        Assert.Equal(("q/get", "v"), ((string?)result["Name"], (string?)result["SecretString"]));
        Assert.Equal(["AWSCURRENT"], result["VersionStages"]!.AsArray().Select(n => (string?)n));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><GetSecretValueResponse xmlns=\"https://secretsmanager.amazonaws.com/doc/2017-10-17/\">", response.Text);
    }

    [Fact]
    public async Task Post_ActionInUrlAndMembersInForm_IsOneRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/?Action=CreateSecret&Version=2017-10-17")
        {
            Content = new StringContent("Name=q-split&SecretString=v&ClientRequestToken=" + ApiHarness.Token(), Encoding.UTF8, "application/x-www-form-urlencoded"),
        };

        using var response = await _api.Client.SendAsync(request);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("v", (string?)(await _api.OkAsync("GetSecretValue", new { SecretId = "q-split" }))["SecretString"]);
    }

    [Fact]
    public async Task TagResource_NoOutputMembers_AnswersWithoutAResultElement()
    {
        await _api.OkAsync("CreateSecret", new { Name = "q-tags" });

        var response = await Send("Action=TagResource&Version=2017-10-17&SecretId=q-tags&Tags.member.1.Key=k&Tags.member.1.Value=v");

        Assert.Equal(200, response.Status);
        Assert.Equal(["ResponseMetadata"], response.Xml.Root!.Elements().Select(e => e.Name.LocalName));
        var described = await _api.OkAsync("DescribeSecret", new { SecretId = "q-tags" });
        Assert.Equal("""[{"Key":"k","Value":"v"}]""", described["Tags"]!.ToJsonString());
    }

    [Fact]
    public async Task Post_FormWithoutAction_ReturnsMissingAction() =>
        AssertError(await Send("Version=2017-10-17&SecretId=x"), 400, "MissingAction", "The request must contain the parameter Action.");

    [Fact]
    public async Task Get_WithoutVersion_ReturnsMissingParameter() =>
        AssertError(await Send("Action=ListSecrets", QueryWire.Method.Get), 400, "MissingParameter", "The request must contain the parameter Version.");

    [Fact]
    public async Task Get_OtherVersion_ReturnsNoSuchVersion() =>
        AssertError(await Send("Action=ListSecrets&Version=2010-05-08", QueryWire.Method.Get), 400, "NoSuchVersion",
            "The requested version (2010-05-08) of service secretsmanager does not exist");

    [Theory]
    [InlineData("GetSecret")]
    [InlineData("getSecretValue")]
    [InlineData("%3CX%3E%26")]
    public async Task Get_UnknownAction_ReturnsInvalidAction(string action)
    {
        var response = await Send($"Action={action}&Version=2017-10-17", QueryWire.Method.Get);

        AssertError(response, 400, "InvalidAction", $"Could not find operation {Uri.UnescapeDataString(action)} for version 2017-10-17");
    }

    [Fact]
    public async Task Post_RequiredMemberMissing_ReturnsTheJsonDoorsValidationError()
    {
        var json = await _api.CallAsync("GetSecretValue", "{}");

        AssertError(await Send("Action=GetSecretValue&Version=2017-10-17"), 400, (string)json.Json["__type"]!, (string)json.Json["Message"]!);
    }

    [Fact]
    public async Task Post_BadBoolean_ReturnsInvalidParameterValue() =>
        AssertError(await Send("Action=DeleteSecret&Version=2017-10-17&SecretId=x&ForceDeleteWithoutRecovery=yes"), 400, "InvalidParameterValue",
            "The value of parameter ForceDeleteWithoutRecovery is not valid: expected true or false.");

    [Fact]
    public async Task Get_UrlOverTheLimit_Returns414WithAnAwsError()
    {
        var response = await Send("Action=PutSecretValue&Version=2017-10-17&SecretId=x&SecretString=" + new string('a', 9000), QueryWire.Method.Get);

        Assert.Equal((414, "text/xml"), (response.Status, response.ContentType));
        var (type, code, message) = response.Error();
        Assert.Equal(("Sender", "InvalidQueryParameter"), (type, code));
        Assert.Contains("the limit is 8192 bytes. Send the parameters form-encoded in the body of a POST request instead.", message);
    }

    [Fact]
    public async Task Post_SameLongValueInTheBody_IsAccepted()
    {
        await _api.OkAsync("CreateSecret", new { Name = "q-long" });

        var response = await Send($"Action=PutSecretValue&Version=2017-10-17&SecretId=q-long&ClientRequestToken={ApiHarness.Token()}&SecretString=" + new string('a', 60000));

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task GetSecretValue_ValueWithControlCharacter_IsRefusedByQueryAndReadableByJson()
    {
        await _api.OkAsync("CreateSecret", new { Name = "q-ctrl", SecretString = "a\u0001b", ClientRequestToken = ApiHarness.Token() });

        var response = await Send("Action=GetSecretValue&Version=2017-10-17&SecretId=q-ctrl");

        AssertError(response, 400, "InvalidRequestException",
            "The response contains a value with characters that XML 1.0 cannot represent (such as U+0000-U+0008 or an unpaired surrogate). Call this operation with the JSON 1.1 protocol (X-Amz-Target header) to read it.");
        Assert.DoesNotContain("a\u0001b", response.Text, StringComparison.Ordinal);
        Assert.Equal("a\u0001b", (string?)(await _api.OkAsync("GetSecretValue", new { SecretId = "q-ctrl" }))["SecretString"]);
    }

    [Fact]
    public async Task CreateSecret_ControlCharacterSentThroughQuery_IsStoredExactly()
    {
        var response = await Send($"Action=CreateSecret&Version=2017-10-17&Name=q-nul&SecretString=a%00b&ClientRequestToken={ApiHarness.Token()}");

        Assert.Equal(200, response.Status);
        Assert.Equal("a\0b", (string?)(await _api.OkAsync("GetSecretValue", new { SecretId = "q-nul" }))["SecretString"]);
    }

    [Fact]
    public async Task JsonRequest_WithFormContentType_StillGoesToTheJsonDoor()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent("{}", Encoding.UTF8, "application/x-www-form-urlencoded") };
        request.Headers.Add("X-Amz-Target", "secretsmanager.ListSecrets");

        using var response = await _api.Client.SendAsync(request);

        Assert.Equal(("application/x-amz-json-1.1", 200), (response.Content.Headers.ContentType?.MediaType, (int)response.StatusCode));
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["SecretList"]);
    }

    [Fact]
    public async Task Get_RootWithoutQuery_IsStillTheReadinessPing()
    {
        using var response = await _api.Client.GetAsync("/");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Post_FormBodyNotUtf8_ReturnsInvalidQueryParameter()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent([.. "Action=ListSecrets&Version=2017-10-17&x="u8, 0xC3]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await _api.Client.SendAsync(request);
        var answer = new QueryResponse((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(), response.Headers.GetValues("x-amzn-RequestId").First(), "text/xml");

        AssertError(answer, 400, "InvalidQueryParameter", "The form-encoded request body is not valid UTF-8.");
    }
}
