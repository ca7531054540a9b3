using System.Text;
using System.Text.Json;
using FuncSecrets.EndToEndTests.Support;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.EndToEndTests.Wire;

/// <summary>
/// The JSON 1.1 wire itself, byte for byte, as real AWS sends it (/work/notes/aws-behaviour.md §0):
/// what SDKs hide (status codes, content type, request id, exact error bodies, members left out
/// rather than null) and requests no SDK would send (no token, bad JSON, unknown targets).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class JsonWireTests(EndToEndFixture fixture)
{
    private const string NoTokenMessage = "You must provide a ClientRequestToken value. We recommend a UUID-type value.";

    [Fact]
    public async Task DescribeSecret_MissingSecret_Returns400WithExactAwsErrorBody()
    {
        var response = await fixture.Client.SendAsync("DescribeSecret", Json(new { SecretId = Name("missing") }));

        Assert.Equal(400, response.Status);
        Assert.Equal(JsonRequestSigner.ContentType, response.ContentType);
        Assert.True(Guid.TryParse(response.RequestId, out _), $"x-amzn-RequestId should be a UUID: {response}");
        Assert.Equal("{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find the specified secret.\"}", response.Body);
    }

    [Theory]
    [InlineData("CreateSecret", "Name")]
    [InlineData("PutSecretValue", "SecretId")]
    [InlineData("UpdateSecret", "SecretId")]
    public async Task VersionCreatingCall_WithoutClientRequestToken_ReturnsInvalidRequestBeforeLookup(string operation, string idMember)
    {
        // The secret does not exist: AWS checks the token before it looks the secret up.
        var body = $"{{\"{idMember}\":\"{Name("no-token")}\",\"SecretString\":\"value\",\"Description\":\"d\"}}";

        var response = await fixture.Client.SendAsync(operation, body);

        AssertError(response, "InvalidRequestException", NoTokenMessage);
    }

    [Fact]
    public async Task Request_MalformedJson_Returns400SerializationException()
    {
        var response = await fixture.Client.SendAsync("DescribeSecret", "{\"SecretId\": \"abc\"");

        AssertError(response, "SerializationException");
    }

    [Fact]
    public async Task Request_UnknownTarget_Returns400UnknownOperationException()
    {
        var response = await fixture.Client.SendAsync("DescribeSecrets", "{}");

        AssertError(response, "UnknownOperationException");
    }

    [Fact]
    public async Task Request_WrongJsonTypeForMember_Returns400NotServerError()
    {
        var response = await fixture.Client.SendAsync("DescribeSecret", "{\"SecretId\": 5}");

        Assert.Equal(400, response.Status);
        Assert.Contains(response.ErrorType, new[] { "SerializationException", "ValidationException" });
    }

    [Fact]
    public async Task DescribeSecret_MissingRequiredSecretId_Returns400ValidationException()
    {
        var response = await fixture.Client.SendAsync("DescribeSecret", "{}");

        AssertError(response, "ValidationException");
    }

    [Fact]
    public async Task SuccessResponses_AbsentMembers_AreLeftOutNeverNull()
    {
        var name = Name("members");
        var token = Guid.NewGuid().ToString();

        var created = await Ok("CreateSecret", new { Name = name, SecretString = fixture.Canary + "-wire", ClientRequestToken = token });
        var described = await Ok("DescribeSecret", new { SecretId = name });
        var value = await Ok("GetSecretValue", new { SecretId = name });
        var versions = await Ok("ListSecretVersionIds", new { SecretId = name });
        var listed = await Ok("ListSecrets", new { Filters = new[] { new { Key = "name", Values = new[] { name } } } });

        Assert.Equal(["ARN", "Name", "VersionId"], Members(created));
        Assert.Equal(token, created.GetProperty("VersionId").GetString());
        Assert.DoesNotContain("SecretBinary", Members(value));
        foreach (var absent in new[] { "Description", "Tags", "DeletedDate", "KmsKeyId", "RotationEnabled", "LastAccessedDate" })
        {
            Assert.DoesNotContain(absent, Members(described));
        }

        Assert.Equal(JsonValueKind.Number, described.GetProperty("CreatedDate").ValueKind);
        Assert.Equal(JsonValueKind.Number, value.GetProperty("CreatedDate").ValueKind);
        Assert.Equal(JsonValueKind.Number, versions.GetProperty("Versions")[0].GetProperty("CreatedDate").ValueKind);
        Assert.Single(listed.GetProperty("SecretList").EnumerateArray());
        Assert.False(listed.TryGetProperty("NextToken", out _), "ListSecrets sends no NextToken when everything fits");
    }

    [Fact]
    public async Task GetSecretValue_BinarySecret_IsBase64OnTheWire()
    {
        var name = Name("binary");
        var bytes = Encoding.UTF8.GetBytes(fixture.Canary + "-wire-binary").Concat(new byte[] { 0, 0xff, 0x80 }).ToArray();
        await Ok("CreateSecret", new { Name = name, SecretBinary = Convert.ToBase64String(bytes), ClientRequestToken = Guid.NewGuid().ToString() });

        var value = await Ok("GetSecretValue", new { SecretId = name });

        Assert.Equal(Convert.ToBase64String(bytes), value.GetProperty("SecretBinary").GetString());
        Assert.DoesNotContain("SecretString", Members(value));
    }

    [Fact]
    public async Task ErrorResponses_EveryRequest_GetsItsOwnRequestId()
    {
        var first = await fixture.Client.SendAsync("DescribeSecret", Json(new { SecretId = Name("missing") }));
        var second = await fixture.Client.SendAsync("DescribeSecret", Json(new { SecretId = Name("missing") }));

        Assert.NotNull(first.RequestId);
        Assert.NotEqual(first.RequestId, second.RequestId);
    }

    private static string Name(string purpose) => $"{EndToEndFixture.UniquePrefix("wire")}/{purpose}";

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static List<string> Members(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    private static void AssertError(RawResponse response, string type, string? message = null)
    {
        Assert.True(response.Status == 400, $"Expected HTTP 400 {type}: {response}");
        Assert.Equal(JsonRequestSigner.ContentType, response.ContentType);
        Assert.False(string.IsNullOrEmpty(response.RequestId), $"x-amzn-RequestId missing: {response}");
        Assert.Equal(type, response.ErrorType);
        var members = Members(response.Json);
        Assert.Equal(["Message", "__type"], members);
        if (message is not null)
        {
            Assert.Equal(message, response.Json.GetProperty("Message").GetString());
        }
    }

    private async Task<JsonElement> Ok(string operation, object request)
    {
        var response = await fixture.Client.SendAsync(operation, Json(request));
        Assert.True(response.Status == 200, $"{operation}: {response}");
        Assert.Equal(JsonRequestSigner.ContentType, response.ContentType);
        Assert.True(Guid.TryParse(response.RequestId, out _), $"{operation}: x-amzn-RequestId should be a UUID: {response}");
        AssertNoNulls(response.Json, operation);
        return response.Json;
    }

    private static void AssertNoNulls(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                Assert.Fail($"{path} is sent as null; AWS leaves absent members out.");
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    AssertNoNulls(property.Value, $"{path}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    AssertNoNulls(item, $"{path}[{index++}]");
                }

                break;
        }
    }
}
