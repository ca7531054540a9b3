using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;
using static FuncSecrets.UnitTests.Auth.AuthTestKit;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>
/// AWS's published SigV4 test suite, verified (not signed) by our verifier.
/// 2015 vectors: the aws-sig-v4-test-suite (service "service", us-east-1, 20150830T123600Z) as
/// carried by aws/aws-sdk-js-v3 packages/signature-v4/src/suite.fixture.ts.
/// 2011 vectors: botocore tests/unit/auth/aws4_testsuite at 879f8440 (service "host", signed with
/// a Date header), as cited by googleapis/google-auth-library-java AwsRequestSignerTest.java.
/// Each request here is what arrives on the wire, so paths are given raw.
/// </summary>
public sealed class SigV4TestSuiteTests
{
    private const string Host2015 = "example.amazonaws.com";
    private const string Date2015 = "20150830T123600Z";
    private const string SecurityToken2015 =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    private const string Host2011 = "host.foo.com";
    private const string Date2011 = "Mon, 09 Sep 2011 23:36:00 GMT";

    private const string Unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static TheoryData<string, string, string, string[], string, string, string> Suite2015 => new()
    {
        // name, method, raw target, extra headers ("name:value"), body, signed headers, signature
        { "get-vanilla", "GET", "/", [], "", "host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31" },
        { "get-vanilla-empty-query-key", "GET", "/?Param1=value1", [], "", "host;x-amz-date", "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb" },
        { "get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", [], "", "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500" },
        { "get-vanilla-query-unreserved", "GET", $"/?{Unreserved}={Unreserved}", [], "", "host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197" },
        { "get-vanilla-utf8-query", "GET", "/?%E1%88%B4=bar", [], "", "host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04" },
        { "get-unreserved", "GET", "/" + Unreserved, [], "", "host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f" },
        { "get-utf8", "GET", "/ሴ", [], "", "host;x-amz-date", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85" },
        { "get-header-key-duplicate", "GET", "/", ["My-Header1:value2", "My-Header1:value2", "My-Header1:value1"], "", "host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea" },
        { "get-header-value-order", "GET", "/", ["My-Header1:value4", "My-Header1:value1", "My-Header1:value3", "My-Header1:value2"], "", "host;my-header1;x-amz-date", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01" },
        { "get-header-value-trim", "GET", "/", ["My-Header1: value1 ", "My-Header2: \"a   b   c\""], "", "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
        { "post-vanilla", "POST", "/", [], "", "host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
        { "post-vanilla-query", "POST", "/?Param1=value1", [], "", "host;x-amz-date", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11" },
        { "post-vanilla-query-nonunreserved", "POST", "/?%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D", [], "", "host;x-amz-date", "66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e" },
        { "post-header-key-sort", "POST", "/", ["My-Header1:value1"], "", "host;my-header1;x-amz-date", "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c" },
        { "post-header-value-case", "POST", "/", ["My-Header1:VALUE1"], "", "host;my-header1;x-amz-date", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d" },
        { "post-x-www-form-urlencoded", "POST", "/", ["Content-Type:application/x-www-form-urlencoded"], "Param1=value1", "content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a" },
        { "post-x-www-form-urlencoded-parameters", "POST", "/", ["Content-Type:application/x-www-form-urlencoded; charset=utf8"], "Param1=value1", "content-type;host;x-amz-date", "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe" },
    };

    public static TheoryData<string, string, string, string[], string, string, string> Suite2011 => new()
    {
        { "get-vanilla", "GET", "/", [], "", "date;host", "b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470" },
        { "get-relative-relative", "GET", "/foo/bar/../..", [], "", "date;host", "b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470" },
        { "get-slash-dot-slash", "GET", "/./", [], "", "date;host", "b27ccfbfa7df52a200ff74193ca6e32d4b48b8856fab7ebf1c595d0670a7e470" },
        { "get-slash-pointless-dot", "GET", "/./foo", [], "", "date;host", "910e4d6c9abafaf87898e1eb4c929135782ea25bb0279703146455745391e63a" },
        { "get-utf8", "GET", "/ሴ", [], "", "date;host", "8d6634c189aa8c75c2e51e106b6b5121bed103fdb351f7d7d4381c738823af74" },
        { "get-vanilla-query-order-value", "GET", "/?foo=Zoo&foo=aha", [], "", "date;host", "be7148d34ebccdc6423b19085378aa0bee970bdc61d144bd1a8c48c33079ab09" },
        { "post-header-key-sort", "POST", "/", ["ZOO:zoobar"], "", "date;host;zoo", "b7a95a52518abbca0964a999a880429ab734f35ebbf1235bd79a5de87756dc4a" },
        { "post-header-value-case", "POST", "/", ["zoo:ZOOBAR"], "", "date;host;zoo", "273313af9d0c265c531e11db70bbd653f3ba074c1009239e8559d3987039cad7" },
        { "post-header-value", "POST", "/", ["p:phfft"], "", "date;host;p", "debf546796015d6f6ded8626f5ce98597c33b47b9164cf6b17b4642036fcb592" },
        { "post-x-www-form-urlencoded", "POST", "/", ["Content-Type:application/x-www-form-urlencoded"], "foo=bar", "content-type;date;host", "5a15b22cf462f047318703b92e6f4f38884e4a7ab7b1d6426ca46a8bd1c26cbc" },
        { "post-vanilla-query", "POST", "/?foo=bar", [], "", "date;host", "b6e3b79003ce0743a491606ba1035a804593b0efb1e20a11cba83f8c25a57a92" },
    };

    [Theory]
    [MemberData(nameof(Suite2015))]
    public void Verify_Suite2015Vector_ReturnsCaller(string name, string method, string target, string[] extra, string body, string signedHeaders, string signature)
    {
        var request = Build2015(method, target, extra, body, signedHeaders, signature);

        var caller = Verifier2015().Verify(request);

        Assert.True(caller is { AccessKeyId: SuiteKeyId }, name);
    }

    [Theory]
    [MemberData(nameof(Suite2011))]
    public void Verify_Suite2011DateHeaderVector_ReturnsCaller(string name, string method, string target, string[] extra, string body, string signedHeaders, string signature)
    {
        var headers = Split(extra).Append(("Host", Host2011)).Append(("Date", Date2011))
            .Append(("Authorization", $"AWS4-HMAC-SHA256 Credential={SuiteKeyId}/20110909/us-east-1/host/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}"));
        var verifier = Verifier(Keys(Key(SuiteKeyId, SuiteSecret)), new DateTimeOffset(2011, 9, 9, 23, 36, 0, TimeSpan.Zero), service: "host");

        var caller = verifier.Verify(Request(method, target, headers, body));

        Assert.True(caller is { AccessKeyId: SuiteKeyId }, name);
    }

    [Fact]
    public void Verify_SuitePostStsHeaderBefore_AcceptsSignedSessionToken()
    {
        var verifier = Verifier(Keys(Key(SuiteKeyId, SuiteSecret, sessionToken: SecurityToken2015)), new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero), service: "service");
        var request = Build2015("POST", "/", [$"X-Amz-Security-Token:{SecurityToken2015}"], "", "host;x-amz-date;x-amz-security-token", "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");

        Assert.Equal(SuiteKeyId, verifier.Verify(request)!.AccessKeyId);
    }

    [Theory]
    [MemberData(nameof(Suite2015))]
    public void Verify_Suite2015VectorWithOneSignatureDigitChanged_ThrowsInvalidSignature(string name, string method, string target, string[] extra, string body, string signedHeaders, string signature)
    {
        var flipped = (signature[0] == '0' ? '1' : '0') + signature[1..];
        var request = Build2015(method, target, extra, body, signedHeaders, flipped);

        var error = Fails(Verifier2015(), request);

        Assert.Equal((AwsErrorCodes.InvalidSignature, AwsErrors.SignatureMismatchMessage), (error.Code, error.Message));
        _ = name; // names the case in the runner's output
    }

    private static SigV4Verifier Verifier2015() =>
        Verifier(Keys(Key(SuiteKeyId, SuiteSecret)), new DateTimeOffset(2015, 8, 30, 12, 36, 0, TimeSpan.Zero), service: "service");

    private static SignedRequest Build2015(string method, string target, string[] extra, string body, string signedHeaders, string signature)
    {
        var headers = Split(extra).Append(("Host", Host2015)).Append(("X-Amz-Date", Date2015))
            .Append(("Authorization", $"AWS4-HMAC-SHA256 Credential={SuiteKeyId}/20150830/us-east-1/service/aws4_request, SignedHeaders={signedHeaders}, Signature={signature}"));
        return Request(method, target, headers, body);
    }

    private static IEnumerable<(string, string)> Split(string[] headers) =>
        headers.Select(h => (h[..h.IndexOf(':', StringComparison.Ordinal)], h[(h.IndexOf(':', StringComparison.Ordinal) + 1)..]));
}
