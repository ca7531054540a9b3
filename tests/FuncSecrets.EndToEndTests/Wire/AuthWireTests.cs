using System.Text;
using FuncSecrets.EndToEndTests.Support;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.EndToEndTests.Wire;

/// <summary>
/// The running service checks signatures as AWS does (texts from /work/notes/aws-behaviour.md
/// "Signatures"): the end-to-end host is configured with one key pair (test/test), so anything
/// else must be refused with AWS's code, HTTP 400, and no operation run.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AuthWireTests(EndToEndFixture fixture)
{
    private static readonly byte[] ListBody = Encoding.UTF8.GetBytes("{}");

    [Fact]
    public async Task Request_UnknownAccessKey_Returns400UnrecognizedClientException()
    {
        var response = await fixture.Client.SendRawAsync("secretsmanager.ListSecrets", ListBody, accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "test");

        AssertRefused(response, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }

    [Fact]
    public async Task Request_WrongSecretKey_Returns400InvalidSignatureException()
    {
        var response = await fixture.Client.SendRawAsync("secretsmanager.ListSecrets", ListBody, secretAccessKey: "not-the-secret");

        AssertRefused(
            response,
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    [Fact]
    public async Task Request_Unsigned_IsRefusedWithAnAuthError()
    {
        var response = await fixture.Client.SendRawAsync("secretsmanager.ListSecrets", ListBody, sign: false);

        Assert.True(response.Status is 400 or 403, $"An unsigned request must be refused: {response}");
        Assert.Contains(response.ErrorType, new[] { "MissingAuthenticationTokenException", "IncompleteSignatureException" });
    }

    private static void AssertRefused(RawResponse response, string type, string message)
    {
        Assert.True(response.Status == 400, $"Expected HTTP 400 {type}: {response}");
        Assert.Equal(JsonRequestSigner.ContentType, response.ContentType);
        Assert.Equal(type, response.ErrorType);
        Assert.Equal(message, response.Json.GetProperty("Message").GetString());
    }
}
