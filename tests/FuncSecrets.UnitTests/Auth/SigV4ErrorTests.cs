using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;
using static FuncSecrets.UnitTests.Auth.AuthTestKit;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>Every way a signature can be refused, with AWS's code and text byte for byte.</summary>
public sealed class SigV4ErrorTests
{
    private const string Body = """{"SecretId":"app"}""";
    private const string Scope = "20240101/us-east-1/secretsmanager/aws4_request";
    private static readonly DateTime SignedAt = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset Now = new(SignedAt);

    [Fact]
    public void Verify_NoAuthentication_ThrowsMissingAuthenticationToken()
    {
        var request = Request("POST", "/", [("Host", "127.0.0.1:5050"), ("X-Amz-Date", "20240101T000000Z")], Body);

        AssertError(AwsErrorCodes.MissingAuthenticationToken, "Request is missing Authentication Token", Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_HeaderAndPresignedQueryBoth_ThrowsInvalidSignature()
    {
        var request = Request("POST", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256", [("Host", "h"), ("Authorization", $"AWS4-HMAC-SHA256 Credential={AliceKeyId}/{Scope}, SignedHeaders=host, Signature=00")]);

        AssertError(AwsErrorCodes.InvalidSignature, "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.", Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_HeaderMissingSignatureAndSignedHeaders_ThrowsIncompleteSignatureListingBoth()
    {
        var header = $"AWS4-HMAC-SHA256 Credential={AliceKeyId}/{Scope}";

        var error = Fails(Alice(Now), WithAuthorization(header));

        AssertError(
            AwsErrorCodes.IncompleteSignature,
            $"Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization={header}",
            error);
    }

    [Fact]
    public void Verify_NonSigV4HeaderWithoutDate_ThrowsIncompleteSignatureListingEverything()
    {
        var request = Request("POST", "/", [("Host", "h"), ("Authorization", "AWS AKIDEXAMPLE:c2lnbmF0dXJl")]);

        AssertError(
            AwsErrorCodes.IncompleteSignature,
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS AKIDEXAMPLE:c2lnbmF0dXJl",
            Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_HeaderTokenWithoutEquals_ThrowsIncompleteSignature()
    {
        var header = $"AWS4-HMAC-SHA256 Credential= {AliceKeyId}/{Scope}, SignedHeaders=host, Signature=00";

        AssertError(
            AwsErrorCodes.IncompleteSignature,
            $"'{AliceKeyId}/{Scope}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'.",
            Fails(Alice(Now), WithAuthorization(header)));
    }

    [Fact]
    public void Verify_PresignedMissingParameters_ThrowsIncompleteSignatureListingThem()
    {
        var request = Request("GET", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20240101T000000Z", [("Host", "h")]);

        AssertError(
            AwsErrorCodes.IncompleteSignature,
            "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. Re-examine the query-string parameters.",
            Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_DateNotBasicIso8601_ThrowsIncompleteSignature()
    {
        var request = WithAuthorization($"AWS4-HMAC-SHA256 Credential={AliceKeyId}/{Scope}, SignedHeaders=host;x-amz-date, Signature=00", amzDate: "2024-01-01T00:00:00Z");

        AssertError(AwsErrorCodes.IncompleteSignature, "Date must be in ISO-8601 'basic format'. Got '2024-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601", Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_SignedTenMinutesAgo_ThrowsSignatureExpired()
    {
        var request = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret);

        AssertError(
            AwsErrorCodes.InvalidSignature,
            "Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z (20240101T001000Z - 5 min.)",
            Fails(Alice(Now.AddMinutes(10)), request));
    }

    [Fact]
    public void Verify_SignedTenMinutesAhead_ThrowsSignatureNotYetCurrent()
    {
        var request = SdkSigner.SignJson("GetSecretValue", Body, SignedAt.AddMinutes(10), AliceKeyId, AliceSecret);

        AssertError(
            AwsErrorCodes.InvalidSignature,
            "Signature not yet current: 20240101T001000Z is still later than 20240101T000500Z (20240101T000000Z + 5 min.)",
            Fails(Alice(Now), request));
    }

    [Theory]
    [InlineData(-299)]
    [InlineData(299)]
    public void Verify_ClockSkewInsideFiveMinutes_ReturnsCaller(int skewSeconds)
    {
        var request = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret);

        Assert.NotNull(Alice(Now.AddSeconds(skewSeconds)).Verify(request));
    }

    [Fact]
    public void Verify_HostNotSigned_ThrowsInvalidSignature()
    {
        var request = WithAuthorization($"AWS4-HMAC-SHA256 Credential={AliceKeyId}/{Scope}, SignedHeaders=x-amz-date, Signature=00");

        AssertError(AwsErrorCodes.InvalidSignature, "'Host' must be a 'SignedHeader' in the AWS Authorization.", Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_OtherAlgorithm_ThrowsIncompleteSignature()
    {
        var request = WithAuthorization($"AWS4-HMAC-SHA512 Credential={AliceKeyId}/{Scope}, SignedHeaders=host;x-amz-date, Signature=00");

        AssertError(AwsErrorCodes.IncompleteSignature, "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ", Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_CredentialWithThreeParts_ThrowsIncompleteSignature()
    {
        var request = WithAuthorization($"AWS4-HMAC-SHA256 Credential={AliceKeyId}/20240101/us-east-1, SignedHeaders=host;x-amz-date, Signature=00");

        AssertError(
            AwsErrorCodes.IncompleteSignature,
            $"Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{AliceKeyId}/20240101/us-east-1'",
            Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_SignedForAnotherRegion_ThrowsCredentialScopeError()
    {
        var request = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret, region: "eu-west-1");

        AssertError(AwsErrorCodes.InvalidSignature, "Credential should be scoped to a valid region, not 'eu-west-1'. ", Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_SignedForAnotherService_ThrowsCredentialScopeError()
    {
        var request = WithAuthorization($"AWS4-HMAC-SHA256 Credential={AliceKeyId}/20240101/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=00");

        AssertError(AwsErrorCodes.InvalidSignature, "Credential should be scoped to correct service: 'secretsmanager'. ", Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_EveryScopePartWrong_ThrowsOneErrorListingAllInOrder()
    {
        var request = WithAuthorization($"AWS4-HMAC-SHA256 Credential={AliceKeyId}/20231231/US-EAST-1/sts/aws5_request, SignedHeaders=host;x-amz-date, Signature=00");

        AssertError(
            AwsErrorCodes.InvalidSignature,
            "Credential should be scoped to a valid region, not 'US-EAST-1'. Credential should be scoped to correct service: 'secretsmanager'. "
            + "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. "
            + "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20231231' != '20240101', from '20240101T000000Z'. ",
            Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_UnknownAccessKey_ThrowsUnrecognizedClient()
    {
        var request = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, "AKIAUNKNOWNEXAMPLE00", AliceSecret);

        AssertError(AwsErrorCodes.UnrecognizedClient, "The security token included in the request is invalid.", Fails(Alice(Now), request));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(20)]
    [InlineData(38)]
    public void Verify_SecretWrongAtAnyPosition_ThrowsTheSameInvalidSignature(int position)
    {
        var wrong = AliceSecret[..position] + (AliceSecret[position] == 'x' ? 'y' : 'x') + AliceSecret[(position + 1)..];
        var request = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, wrong);

        AssertError(AwsErrorCodes.InvalidSignature, AwsErrors.SignatureMismatchMessage, Fails(Alice(Now), request));
    }

    [Theory]
    [InlineData("604801", "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds")]
    [InlineData("soon", "X-Amz-Expires should be a number")]
    [InlineData("-1", "X-Amz-Expires must be non-negative")]
    public void Verify_PresignedExpiresOutOfRange_ThrowsIncompleteSignature(string expires, string message)
    {
        var query = $"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={AliceKeyId}%2F{Scope.Replace("/", "%2F", StringComparison.Ordinal)}&X-Amz-Date=20240101T000000Z&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
        var request = Request("GET", "/?" + query, [("Host", "h")]);

        AssertError(AwsErrorCodes.IncompleteSignature, message, Fails(Alice(Now), request));
    }

    [Fact]
    public void Verify_AuthenticationDisabled_ReturnsNullForUnsignedRequest()
    {
        var verifier = new SigV4Verifier(Keys(), "us-east-1", TimeProvider.System, enabled: false);

        Assert.Null(verifier.Verify(Request("POST", "/", [("Host", "h")])));
    }

    private static SigV4Verifier Alice(DateTimeOffset now) => Verifier(Keys(Key(AliceKeyId, AliceSecret, AliceArn)), now);

    private static SignedRequest WithAuthorization(string authorization, string amzDate = "20240101T000000Z") =>
        Request("POST", "/", [("Host", "127.0.0.1:5050"), ("X-Amz-Date", amzDate), ("Authorization", authorization)], Body);

    private static void AssertError(string code, string message, AwsException error) =>
        Assert.Equal((code, message, 400), (error.Code, error.Message, error.StatusCode));
}
