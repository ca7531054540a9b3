using System.Text;
using Amazon.Runtime.Internal.Auth;
using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;
using static FuncSecrets.UnitTests.Auth.AuthTestKit;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>
/// The verifier computes signatures in pooled buffers and reuses one canonical-request builder per
/// thread (issue 15). These check that the bytes signed are still exactly the string to sign
/// AWSSDK.Core computes, whatever the size or content of the request, and that one call leaves
/// nothing behind for the next.
/// </summary>
public sealed class SigV4PooledSigningTests
{
    private const string Body = """{"SecretId":"prod/db"}""";
    private static readonly DateTime SignedAt = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset Now = new(SignedAt);

    [Theory]
    [InlineData(10)]
    [InlineData(5_000)]
    [InlineData(40_000)]
    public void Sign_CanonicalRequestInManyChunksWithNonAscii_EqualsTheSdkSignature(int repeats)
    {
        // A builder grown piece by piece holds its text in several chunks; the pair of surrogates
        // (an emoji) may straddle two of them and must still be signed as one UTF-8 character.
        var canonical = new StringBuilder(16);
        canonical.Append("POST\n/\n\nhost:example\nx-amz-meta:");
        for (var i = 0; i < repeats; i++)
        {
            canonical.Append("ü😀 ");
        }

        canonical.Append("\n\nhost;x-amz-meta\n").Append(SignedRequest.EmptyPayloadSha256);
        var scope = CredentialScope.Parse($"{AliceKeyId}/20240101/us-east-1/secretsmanager/aws4_request");
        var key = SigV4Verifier.DeriveSigningKey(Encoding.UTF8.GetBytes("AWS4" + AliceSecret), scope);
        var signature = new byte[32];

        SigV4Verifier.Sign(key, "20240101T000000Z", scope, canonical, signature);

        var expected = AWS4Signer.ComputeSignature(AliceKeyId, AliceSecret, "us-east-1", SignedAt, "secretsmanager", "host;x-amz-meta", canonical.ToString()).Signature;
        Assert.Equal(expected, Convert.ToHexStringLower(signature));
    }

    [Fact]
    public void Verify_HugeSignedHeaderThenSmallRequest_BothVerifiedOnTheirOwn()
    {
        // A 40,000-character session token makes a canonical request past the builder the thread
        // keeps; the next call on the thread starts from an empty one.
        var token = new string('t', 40_000);
        var verifier = Verifier(Keys(Key(AliceKeyId, AliceSecret, AliceArn, sessionToken: token)), Now);
        var huge = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret, sessionToken: token);
        var small = SdkSigner.SignJson("GetSecretValue", "{}", SignedAt, AliceKeyId, AliceSecret, sessionToken: token);

        Assert.Equal(AliceKeyId, verifier.Verify(huge)!.AccessKeyId);
        Assert.Equal(AliceKeyId, verifier.Verify(small)!.AccessKeyId);
        AssertMismatch(Fails(verifier, WithHeader(huge, "X-Amz-Security-Token", token[..^1] + "u")));
    }

    [Fact]
    public void Verify_TamperedCallBetweenTwoGoodOnes_OnlyTheTamperedOneFails()
    {
        var verifier = AliceVerifier(Now);
        var good = SdkSigner.SignJson("GetSecretValue", Body, SignedAt, AliceKeyId, AliceSecret);
        var tampered = WithHeader(good, "X-Amz-Target", "secretsmanager.DeleteSecret");

        Assert.Equal(AliceKeyId, verifier.Verify(good)!.AccessKeyId);
        AssertMismatch(Fails(verifier, tampered));
        Assert.Equal(AliceKeyId, verifier.Verify(good)!.AccessKeyId);
    }

    [Fact]
    public void SignedRequest_RepeatedHeader_KeepsEveryValueInArrivalOrder()
    {
        var request = new SignedRequest("POST", "/", string.Empty, [new("X-Custom", "a"), new("x-custom", "b"), new("Host", "h"), new("X-CUSTOM", "c")], SignedRequest.EmptyPayloadSha256);

        Assert.Equal(["a", "b", "c"], request.GetHeaderValues("x-custom"));
        Assert.Equal("a", request.GetHeader("X-Custom"));
        Assert.Equal(["h"], request.GetHeaderValues("host"));
        Assert.Equal("a,b,c", SigV4Canonicalizer.CanonicalHeaderValue(request.GetHeaderValues("x-custom")));
    }

    private static SigV4Verifier AliceVerifier(DateTimeOffset now) => Verifier(Keys(Key(AliceKeyId, AliceSecret, AliceArn)), now);

    private static void AssertMismatch(AwsException error) =>
        Assert.Equal((AwsErrorCodes.InvalidSignature, AwsErrors.SignatureMismatchMessage, 400), (error.Code, error.Message, error.StatusCode));
}
