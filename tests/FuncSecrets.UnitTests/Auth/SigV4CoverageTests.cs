using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;
using static FuncSecrets.UnitTests.Auth.AuthTestKit;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>
/// Issue 11 item 3: a valid signature must cover what selects the operation (X-Amz-Target) and
/// the body. The canonical requests are written out and AWSSDK.Core computes the signatures, so
/// each request is correctly signed over exactly what it names, and only the coverage is wrong.
/// </summary>
public sealed class SigV4CoverageTests
{
    private const string Host = "127.0.0.1:5050";
    private const string Date = "20240101T000000Z";
    private const string Body = """{"SecretId":"prod/db"}""";
    private static readonly DateTime SignedAt = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset Now = new(SignedAt);

    private static string Signature(string signedHeaders, string canonical) =>
        Amazon.Runtime.Internal.Auth.AWS4Signer.ComputeSignature(AliceKeyId, AliceSecret, "us-east-1", SignedAt, "secretsmanager", signedHeaders, canonical).Signature;

    private static SigV4Verifier AliceVerifier() => Verifier(Keys(Key(AliceKeyId, AliceSecret, AliceArn)), Now);

    private static string BodyHash => SignedRequest.Sha256Hex(System.Text.Encoding.UTF8.GetBytes(Body));

    private static SignedRequest HeaderSigned(string target, string signedHeaders, string canonicalHeaders)
    {
        var canonical = $"POST\n/\n\n{canonicalHeaders}\n{signedHeaders}\n{BodyHash}";
        var authorization = $"AWS4-HMAC-SHA256 Credential={AliceKeyId}/20240101/us-east-1/secretsmanager/aws4_request, SignedHeaders={signedHeaders}, Signature={Signature(signedHeaders, canonical)}";
        return Request("POST", "/", [("Host", Host), ("X-Amz-Date", Date), ("X-Amz-Target", target), ("Content-Type", "application/x-amz-json-1.1"), ("Authorization", authorization)], Body);
    }

    [Fact]
    public void Verify_TargetNotSigned_ThrowsInvalidSignature_Issue11()
    {
        // A GetSecretValue signed over host and date only, replayed as DeleteSecret.
        var request = HeaderSigned("secretsmanager.DeleteSecret", "host;x-amz-date", $"host:{Host}\nx-amz-date:{Date}\n");

        var error = Fails(AliceVerifier(), request);

        Assert.Equal((AwsErrorCodes.InvalidSignature, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."), (error.Code, error.Message));
    }

    [Fact]
    public void Verify_TargetSigned_ReturnsCaller_Issue11()
    {
        var request = HeaderSigned("secretsmanager.GetSecretValue", "host;x-amz-date;x-amz-target", $"host:{Host}\nx-amz-date:{Date}\nx-amz-target:secretsmanager.GetSecretValue\n");

        Assert.Equal(AliceArn, AliceVerifier().Verify(request)!.PrincipalArn);
    }

    [Fact]
    public void Verify_PresignedPostTargetNotSigned_ThrowsInvalidSignature_Issue11()
    {
        var query = $"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={AliceKeyId}%2F20240101%2Fus-east-1%2Fsecretsmanager%2Faws4_request&X-Amz-Date={Date}&X-Amz-Expires=300&X-Amz-SignedHeaders=host";
        var canonical = $"POST\n/\n{query}\nhost:{Host}\n\nhost\n{BodyHash}";
        var request = Request("POST", $"/?{query}&X-Amz-Signature={Signature("host", canonical)}", [("Host", Host), ("X-Amz-Target", "secretsmanager.DeleteSecret")], Body);

        var error = Fails(AliceVerifier(), request);

        Assert.Equal((AwsErrorCodes.InvalidSignature, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization."), (error.Code, error.Message));
    }

    [Fact]
    public void Verify_PresignedPostUnsignedPayloadWithBody_ThrowsInvalidSignature_Issue11()
    {
        var query = $"X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={AliceKeyId}%2F20240101%2Fus-east-1%2Fsecretsmanager%2Faws4_request&X-Amz-Date={Date}&X-Amz-Expires=300&X-Amz-SignedHeaders=host%3Bx-amz-target";
        var canonical = $"POST\n/\n{query}\nhost:{Host}\nx-amz-target:secretsmanager.DeleteSecret\n\nhost;x-amz-target\nUNSIGNED-PAYLOAD";
        var request = Request("POST", $"/?{query}&X-Amz-Signature={Signature("host;x-amz-target", canonical)}", [("Host", Host), ("X-Amz-Target", "secretsmanager.DeleteSecret")], Body);

        var error = Fails(AliceVerifier(), request);

        Assert.Equal((AwsErrorCodes.InvalidSignature, AwsErrors.SignatureMismatchMessage), (error.Code, error.Message));
    }

    [Fact]
    public void Verify_HeaderFormUnsignedPayloadWithBody_ThrowsInvalidSignature_Issue11()
    {
        const string SignedHeaders = "host;x-amz-content-sha256;x-amz-date;x-amz-target";
        var canonical = $"POST\n/\n\nhost:{Host}\nx-amz-content-sha256:UNSIGNED-PAYLOAD\nx-amz-date:{Date}\nx-amz-target:secretsmanager.GetSecretValue\n\n{SignedHeaders}\nUNSIGNED-PAYLOAD";
        var authorization = $"AWS4-HMAC-SHA256 Credential={AliceKeyId}/20240101/us-east-1/secretsmanager/aws4_request, SignedHeaders={SignedHeaders}, Signature={Signature(SignedHeaders, canonical)}";
        var request = Request("POST", "/", [("Host", Host), ("X-Amz-Date", Date), ("X-Amz-Target", "secretsmanager.GetSecretValue"), ("X-Amz-Content-SHA256", "UNSIGNED-PAYLOAD"), ("Authorization", authorization)], Body);

        var error = Fails(AliceVerifier(), request);

        Assert.Equal((AwsErrorCodes.InvalidSignature, AwsErrors.SignatureMismatchMessage), (error.Code, error.Message));
    }
}
