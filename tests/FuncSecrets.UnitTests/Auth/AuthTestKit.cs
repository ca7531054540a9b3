using FuncSecrets.Core;
using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;
using Microsoft.Extensions.Time.Testing;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>Keys, clocks and verifiers shared by the auth tests.</summary>
internal static class AuthTestKit
{
    // The AWS SigV4 test suite's credentials (AWS General Reference, "Signature Version 4 test suite").
    public const string SuiteKeyId = "AKIDEXAMPLE";
    public const string SuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    public const string AliceKeyId = "AKIAALICEEXAMPLE0001";
    public const string AliceSecret = "alice/secret+key/EXAMPLEEXAMPLEEXAMPLE1";
    public const string AliceArn = "arn:aws:iam::123456789012:user/alice";

    public static readonly ServiceOptions Service = new() { Region = "us-east-1", AccountId = "123456789012" };

    public static AccessKeyStore Keys(params AccessKeyOptions[] keys) =>
        new(new AuthOptions { AccessKeys = [.. keys] }, Service);

    public static AccessKeyOptions Key(string id, string secret, string? principalArn = null, string? policy = null, string? sessionToken = null) =>
        new() { AccessKeyId = id, SecretAccessKey = secret, PrincipalArn = principalArn, Policy = policy, SessionToken = sessionToken };

    public static SigV4Verifier Verifier(AccessKeyStore keys, DateTimeOffset now, string region = "us-east-1", string service = "secretsmanager") =>
        new(keys, region, new FakeTimeProvider(now), service);

    public static AwsException Fails(SigV4Verifier verifier, SignedRequest request) =>
        Assert.Throws<AwsException>(() => verifier.Verify(request));

    public static SignedRequest Request(
        string method,
        string rawTarget,
        IEnumerable<(string Name, string Value)> headers,
        string body = "") =>
        SignedRequest.Create(method, rawTarget, headers.Select(h => KeyValuePair.Create(h.Name, h.Value)), System.Text.Encoding.UTF8.GetBytes(body));

    /// <summary>The same request with one header value replaced (or added).</summary>
    public static SignedRequest WithHeader(SignedRequest request, string name, string value) =>
        new(request.Method, request.RawPath, request.RawQuery, Headers(request).Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Append(KeyValuePair.Create(name, value)), request.PayloadSha256);

    public static SignedRequest WithoutHeader(SignedRequest request, string name) =>
        new(request.Method, request.RawPath, request.RawQuery, Headers(request).Where(h => !string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)), request.PayloadSha256);

    public static IEnumerable<KeyValuePair<string, string>> Headers(SignedRequest request) =>
        request.Headers.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v)));
}
