using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;
using static FuncSecrets.UnitTests.Auth.AuthTestKit;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>Requests signed by AWSSDK.Core's real signers, verified by ours; one changed byte fails.</summary>
public sealed class SigV4SdkSignerTests
{
    private const string Body = """{"SecretId":"prod/db","VersionStage":"AWSCURRENT"}""";
    private static readonly DateTime SignedAt = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset Now = new(SignedAt);

    private static readonly Dictionary<string, string> ListSecrets = new() { ["Action"] = "ListSecrets", ["Version"] = "2017-10-17" };

    [Fact]
    public void Verify_SdkSignedJsonRequest_ReturnsConfiguredPrincipal()
    {
        var request = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret);

        var caller = AliceVerifier(Now).Verify(request);

        Assert.Equal(new CallerIdentity(AliceKeyId, AliceArn), caller);
    }

    [Fact]
    public async Task VerifyAsync_SdkSignedJsonRequest_ReturnsCaller()
    {
        var request = SdkSigner.SignJson("ListSecrets", "{}", SignedAt, AliceKeyId, AliceSecret);

        var caller = await AliceVerifier(Now).VerifyAsync(request, CancellationToken.None);

        Assert.Equal(AliceKeyId, caller!.AccessKeyId);
    }

    [Fact]
    public void Verify_BodyWithOneByteChanged_ThrowsInvalidSignature()
    {
        var signed = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret);
        var tampered = new SignedRequest(signed.Method, signed.RawPath, signed.RawQuery, Headers(signed), SignedRequest.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(Body.Replace("prod/db", "prod/dc", StringComparison.Ordinal))));

        AssertMismatch(Fails(AliceVerifier(Now), tampered));
    }

    [Fact]
    public void Verify_SignedHeaderChanged_ThrowsInvalidSignature()
    {
        var signed = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret);

        AssertMismatch(Fails(AliceVerifier(Now), WithHeader(signed, "X-Amz-Target", "secretsmanager.DeleteSecret")));
    }

    [Fact]
    public void Verify_PathChanged_ThrowsInvalidSignature()
    {
        var signed = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret);
        var moved = new SignedRequest(signed.Method, "/x", signed.RawQuery, Headers(signed), signed.PayloadSha256);

        AssertMismatch(Fails(AliceVerifier(Now), moved));
    }

    [Fact]
    public void Verify_QueryAdded_ThrowsInvalidSignature()
    {
        var signed = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret);
        var extended = new SignedRequest(signed.Method, signed.RawPath, "a=b", Headers(signed), signed.PayloadSha256);

        AssertMismatch(Fails(AliceVerifier(Now), extended));
    }

    [Fact]
    public void Verify_ContentSha256HeaderNotTheBodyHash_ThrowsInvalidSignature()
    {
        var signed = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret);

        AssertMismatch(Fails(AliceVerifier(Now), WithHeader(signed, "X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD")));
    }

    [Fact]
    public void Verify_HeaderFormSignedOverUnsignedPayload_ThrowsInvalidSignature()
    {
        // A correct signature over UNSIGNED-PAYLOAD would leave the body unprotected; only the
        // presigned form may do that.
        const string canonical = "POST\n/\n\nhost:127.0.0.1:5050\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:20240101T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD";
        var signature = Amazon.Runtime.Internal.Auth.AWS4Signer.ComputeSignature(AliceKeyId, AliceSecret, "us-east-1", SignedAt, "secretsmanager", "host;x-amz-content-sha256;x-amz-date", canonical).Signature;
        var request = Request("POST", "/", [
            ("Host", "127.0.0.1:5050"),
            ("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"),
            ("X-Amz-Date", "20240101T000000Z"),
            ("Authorization", $"AWS4-HMAC-SHA256 Credential={AliceKeyId}/20240101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature={signature}")], Body);

        AssertMismatch(Fails(AliceVerifier(Now), request));
    }

    [Fact]
    public void Verify_SignedWithAnotherSecret_ThrowsInvalidSignature()
    {
        var request = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret[..^1] + "2");

        AssertMismatch(Fails(AliceVerifier(Now), request));
    }

    [Fact]
    public void Verify_SessionTokenMatches_ReturnsCaller()
    {
        var verifier = Verifier(Keys(Key(AliceKeyId, AliceSecret, AliceArn, sessionToken: "token-1")), Now);
        var request = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret, sessionToken: "token-1");

        Assert.Equal(AliceKeyId, verifier.Verify(request)!.AccessKeyId);
    }

    [Theory]
    [InlineData("token-2")]
    [InlineData(null)]
    public void Verify_SessionTokenWrongOrMissing_ThrowsUnrecognizedClient(string? presented)
    {
        var verifier = Verifier(Keys(Key(AliceKeyId, AliceSecret, AliceArn, sessionToken: "token-1")), Now);
        var request = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret, sessionToken: presented);

        var error = Fails(verifier, request);

        Assert.Equal((AwsErrorCodes.UnrecognizedClient, "The security token included in the request is invalid"), (error.Code, error.Message));
    }

    [Fact]
    public void Verify_SessionTokenForKeyWithoutOne_ThrowsUnrecognizedClient()
    {
        var request = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret, sessionToken: "stale");

        Assert.Equal(AwsErrorCodes.UnrecognizedClient, Fails(AliceVerifier(Now), request).Code);
    }

    [Fact]
    public void Verify_PresignedWithinExpiry_ReturnsCaller()
    {
        var request = SdkSigner.Presign(ListSecrets, SignedAt, AliceKeyId, AliceSecret, expiresSeconds: 3600);

        Assert.Equal(AliceKeyId, AliceVerifier(Now.AddMinutes(59)).Verify(request)!.AccessKeyId);
    }

    [Fact]
    public void Verify_PresignedPastExpiry_ThrowsSignatureExpired()
    {
        var request = SdkSigner.Presign(ListSecrets, SignedAt, AliceKeyId, AliceSecret, expiresSeconds: 3600);

        var error = Fails(AliceVerifier(Now.AddMinutes(61)), request);

        Assert.Equal(
            (AwsErrorCodes.InvalidSignature, "Signature expired: 20240101T000000Z is now earlier than 20240101T000100Z (20240101T010100Z - 60 min.)"),
            (error.Code, error.Message));
    }

    [Fact]
    public void Verify_PresignedWithoutExpires_UsesFiveMinuteWindow()
    {
        var request = SdkSigner.Presign(ListSecrets, SignedAt, AliceKeyId, AliceSecret, expiresSeconds: null);

        Assert.NotNull(AliceVerifier(Now.AddMinutes(4)).Verify(request));
        Assert.StartsWith("Signature expired: 20240101T000000Z", Fails(AliceVerifier(Now.AddMinutes(6)), request).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_PresignedWithSessionToken_ReturnsCaller()
    {
        var verifier = Verifier(Keys(Key(AliceKeyId, AliceSecret, AliceArn, sessionToken: "token-1")), Now);
        var request = SdkSigner.Presign(ListSecrets, SignedAt, AliceKeyId, AliceSecret, expiresSeconds: 300, sessionToken: "token-1");

        Assert.NotNull(verifier.Verify(request));
    }

    [Fact]
    public void Verify_PresignedQueryValueChanged_ThrowsInvalidSignature()
    {
        var signed = SdkSigner.Presign(ListSecrets, SignedAt, AliceKeyId, AliceSecret, expiresSeconds: 300);
        var tampered = new SignedRequest(signed.Method, signed.RawPath, signed.RawQuery.Replace("ListSecrets", "GetRandomPassword", StringComparison.Ordinal), Headers(signed), signed.PayloadSha256);

        AssertMismatch(Fails(AliceVerifier(Now), tampered));
    }

    [Fact]
    public void Verify_PresignedOverBodyHashWithOtherBody_ThrowsInvalidSignature()
    {
        var signed = SdkSigner.Presign(ListSecrets, SignedAt, AliceKeyId, AliceSecret, expiresSeconds: 300);
        var withBody = new SignedRequest(signed.Method, signed.RawPath, signed.RawQuery, Headers(signed), SignedRequest.Sha256Hex("x"u8));

        AssertMismatch(Fails(AliceVerifier(Now), withBody));
    }

    [Fact]
    public void Verify_PresignedOverUnsignedPayload_AcceptsEmptyBodyOnly()
    {
        // botocore's SigV4QueryAuth signs UNSIGNED-PAYLOAD; the .NET presigner cannot be made
        // to, so the canonical request is written out here and the SDK computes the signature.
        var query = $"Action=ListSecrets&Version=2017-10-17&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={AliceKeyId}%2F20240101%2Fus-east-1%2Fsecretsmanager%2Faws4_request&X-Amz-Date=20240101T000000Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host";
        var canonical = $"GET\n/\n{query}\nhost:127.0.0.1:5050\n\nhost\nUNSIGNED-PAYLOAD";
        var signature = Amazon.Runtime.Internal.Auth.AWS4Signer.ComputeSignature(AliceKeyId, AliceSecret, "us-east-1", SignedAt, "secretsmanager", "host", canonical).Signature;
        var request = new SignedRequest("GET", "/", $"{query}&X-Amz-Signature={signature}", [KeyValuePair.Create("Host", "127.0.0.1:5050")], SignedRequest.Sha256Hex([]));
        Assert.Equal(AliceArn, AliceVerifier(Now).Verify(request)!.PrincipalArn);

        // Issue 11: a body the signature does not cover could carry any operation's input.
        var withBody = new SignedRequest("GET", "/", request.RawQuery, Headers(request), SignedRequest.Sha256Hex("any body"u8));
        AssertMismatch(Fails(AliceVerifier(Now), withBody));
    }

    [Fact]
    public void Verify_SameKeyAcrossDays_DerivesEachDaysSigningKey_Issue15()
    {
        // One key store, so the cached signing key of one day meets requests of the next and back.
        var keys = Keys(Key(AliceKeyId, AliceSecret, AliceArn));
        var nextDay = SignedAt.AddDays(1);
        var today = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret);
        var tomorrow = SdkSigner.SignJson("GetSecretValue", Body, nextDay, AliceKeyId, AliceSecret);

        Assert.Equal(AliceArn, Verifier(keys, Now).Verify(today)!.PrincipalArn);
        Assert.Equal(AliceArn, Verifier(keys, new DateTimeOffset(nextDay)).Verify(tomorrow)!.PrincipalArn);
        Assert.Equal(AliceArn, Verifier(keys, Now).Verify(today)!.PrincipalArn);
        var otherSecret = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret + "x");
        AssertMismatch(Fails(Verifier(keys, Now), otherSecret));
    }

    private static SigV4Verifier AliceVerifier(DateTimeOffset now) => Verifier(Keys(Key(AliceKeyId, AliceSecret, AliceArn)), now);

    private static void AssertMismatch(AwsException error) =>
        Assert.Equal((AwsErrorCodes.InvalidSignature, AwsErrors.SignatureMismatchMessage, 400), (error.Code, error.Message, error.StatusCode));
}
