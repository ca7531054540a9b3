using FuncSecrets.EndToEndTests.Support;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.EndToEndTests.Wire;

/// <summary>
/// Inputs no SDK sends, answered the way AWS's request validation (Coral) answers them: a 4xx with
/// AWS's code and text, never a 500. The message format
/// <c>1 validation error detected: Value '…' at 'filters.1.member.values' failed to satisfy constraint: …</c>
/// (one-based list index in the path) is recorded from real AWS (aws-behaviour.md §0, "Coral").
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ValidationWireTests(EndToEndFixture fixture)
{
    [Theory]
    [InlineData("DescribeSecret")]
    [InlineData("ListSecrets")]
    [InlineData("GetRandomPassword")]
    public async Task Request_EmptyBody_IsNeverAServerError(string operation)
    {
        var response = await fixture.Client.SendAsync(operation, string.Empty);

        Assert.True(response.Status is >= 200 and < 500, $"An empty body is the client's input, not a server fault: {response}");
        Assert.Equal(JsonRequestSigner.ContentType, response.ContentType);
    }

    [Fact]
    public async Task ListSecrets_ElevenValuesInOneFilter_ValidationExceptionNamesOneBasedPath()
    {
        var values = string.Join(',', Enumerable.Range(0, 11).Select(i => $"\"v{i}\""));

        var response = await fixture.Client.SendAsync("ListSecrets", $"{{\"Filters\":[{{\"Key\":\"name\",\"Values\":[{values}]}}]}}");

        Assert.Equal(400, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Contains(
            "at 'filters.1.member.values' failed to satisfy constraint: Member must have length less than or equal to 10",
            response.Json.GetProperty("Message").GetString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListSecrets_UnknownKeyInSecondFilter_ValidationExceptionNamesThatFilter()
    {
        var response = await fixture.Client.SendAsync("ListSecrets", "{\"Filters\":[{\"Key\":\"name\",\"Values\":[\"a\"]},{\"Key\":\"bogus\",\"Values\":[\"a\"]}]}");

        Assert.Equal(400, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.StartsWith(
            "1 validation error detected: Value 'bogus' at 'filters.2.member.key' failed to satisfy constraint: Member must satisfy enum value set: [",
            response.Json.GetProperty("Message").GetString(),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListSecrets_MaxResults101_ValidationExceptionWithCoralText()
    {
        var response = await fixture.Client.SendAsync("ListSecrets", "{\"MaxResults\":101}");

        Assert.Equal(400, response.Status);
        Assert.Equal("ValidationException", response.ErrorType);
        Assert.Equal(
            "1 validation error detected: Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
            response.Json.GetProperty("Message").GetString());
    }
}
