using System.Net;
using System.Text;
using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;
using FuncSecrets.Host.Protocol.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using static FuncSecrets.UnitTests.Auth.AuthTestKit;

namespace FuncSecrets.UnitTests.Auth;

/// <summary>The ASP.NET Core adapter: raw target, signed host, body hash, and the whole chain.</summary>
public sealed class SignedRequestReaderTests
{
    private static readonly DateTime SignedAt = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly ForwardedHostOptions Default = new();

    [Fact]
    public void FromHttpRequest_RawTarget_IsTakenAsReceived()
    {
        var context = Context("127.0.0.1:5050");
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "/a%20b?x=1%202&y";

        var request = SignedRequestReader.FromHttpRequest(context.Request, [], Default);

        Assert.Equal(("/a%20b", "x=1%202&y"), (request.RawPath, request.RawQuery));
    }

    [Fact]
    public void FromHttpRequest_NoRawTarget_FallsBackToEscapedPathAndQuery()
    {
        var context = Context("h");
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = string.Empty;
        context.Request.Path = "/a b";
        context.Request.QueryString = new QueryString("?x=1");

        var request = SignedRequestReader.FromHttpRequest(context.Request, [], Default);

        Assert.Equal(("/a%20b", "x=1"), (request.RawPath, request.RawQuery));
    }

    [Fact]
    public void FromHttpRequest_ForwardedHostFromLoopback_UsesLastForwardedValue()
    {
        var context = Context("127.0.0.1:7071", remote: IPAddress.Loopback);
        context.Request.Headers["X-Forwarded-Host"] = "client-supplied.example, secrets.azurewebsites.net";

        var request = SignedRequestReader.FromHttpRequest(context.Request, [], Default);

        Assert.Equal("secrets.azurewebsites.net", request.GetHeader("host"));
    }

    [Theory]
    [InlineData("203.0.113.5", null)]
    [InlineData("127.0.0.1", false)]
    public void FromHttpRequest_ForwardedHostNotTrusted_UsesHostHeader(string remote, bool? trust)
    {
        var context = Context("secrets.example", remote: IPAddress.Parse(remote));
        context.Request.Headers["X-Forwarded-Host"] = "elsewhere.example";

        var request = SignedRequestReader.FromHttpRequest(context.Request, [], new ForwardedHostOptions { TrustForwardedHost = trust });

        Assert.Equal("secrets.example", request.GetHeader("host"));
    }

    [Fact]
    public async Task FromHttpRequestAsync_Body_IsHashedAndLeftReadable()
    {
        var context = Context("h");
        var body = Encoding.UTF8.GetBytes("""{"SecretId":"a"}""");
        context.Request.Body = new MemoryStream(body);

        var request = await SignedRequestReader.FromHttpRequestAsync(context.Request, Default);

        Assert.Equal(SignedRequest.Sha256Hex(body), request.PayloadSha256);
        Assert.Equal(body, await new StreamContent(context.Request.Body).ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task AuthenticateAsync_SdkSignedRequestForwardedByFunctionsHost_ReturnsCaller()
    {
        var (context, body) = Replay(SdkSigner.SignJson("GetSecretValue", "{}", SignedAt, AliceKeyId, AliceSecret), IPAddress.Loopback);
        var authenticator = new SigV4Authenticator(Verifier(Keys(Key(AliceKeyId, AliceSecret, AliceArn)), new DateTimeOffset(SignedAt)), Default);

        var caller = await authenticator.AuthenticateAsync(context, body, CancellationToken.None);

        Assert.Equal(new CallerIdentity(AliceKeyId, AliceArn), caller);
    }

    [Fact]
    public async Task AuthenticateAsync_ForwardedHostFromRemotePeer_IsIgnoredAndSignatureFails()
    {
        var (context, body) = Replay(SdkSigner.SignJson("GetSecretValue", "{}", SignedAt, AliceKeyId, AliceSecret), IPAddress.Parse("198.51.100.4"));
        var authenticator = new SigV4Authenticator(Verifier(Keys(Key(AliceKeyId, AliceSecret, AliceArn)), new DateTimeOffset(SignedAt)), Default);

        var error = await Assert.ThrowsAsync<AwsException>(() => authenticator.AuthenticateAsync(context, body, CancellationToken.None));

        Assert.Equal(AwsErrorCodes.InvalidSignature, error.Code);
    }

    // What a custom handler receives from the Functions host: the client's headers, Host
    // rewritten to the handler's own address, the signed host in X-Forwarded-Host.
    private static (HttpContext Context, byte[] Body) Replay(SignedRequest signed, IPAddress peer)
    {
        var context = Context("127.0.0.1:7071", peer);
        context.Request.Method = signed.Method;
        foreach (var (name, values) in signed.Headers)
        {
            if (!string.Equals(name, "host", StringComparison.OrdinalIgnoreCase))
            {
                context.Request.Headers[name] = values.ToArray();
            }
        }

        context.Request.Headers["X-Forwarded-Host"] = signed.GetHeader("host");
        return (context, "{}"u8.ToArray());
    }

    private static DefaultHttpContext Context(string host, IPAddress? remote = null)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Headers.Host = host;
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = "/";
        context.Connection.RemoteIpAddress = remote;
        return context;
    }
}
