using System.Net;
using FuncSecrets.Core.Rotation;
using FuncSecrets.Host.Rotation;

namespace FuncSecrets.UnitTests.Rotation;

public class HttpRotationFunctionInvokerTests
{
    private const string MappedArn = "arn:aws:lambda:us-east-1:123456789012:function:rotate-db";
    private static readonly RotationEvent Event = new("arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", "0b5e6f7a-1111-4222-8333-944455556666", "createSecret");

    private static RotationFunctionOptions Options(bool allowLoopback = false, bool allowDirect = true) => new()
    {
        AllowHttpLoopback = allowLoopback,
        AllowDirectUrls = allowDirect,
        StepTimeout = TimeSpan.FromMilliseconds(200),
        CallRetryDelay = TimeSpan.Zero,
        MaxAttempts = 3,
        Functions =
        [
            new RotationFunction { Arn = MappedArn, Url = "https://rotate.example.net/api/rotate", Key = "function-key-value" },
            new RotationFunction { Arn = "arn:aws:lambda:us-east-1:123456789012:function:plain-http", Url = "http://rotate.example.net/api/rotate" },
        ],
    };

    [Theory]
    [InlineData("https://rotate.example.net/api/rotate?code=abc", false, true, true)]
    [InlineData("https://rotate.example.net/api/rotate", false, false, false)]
    [InlineData("http://127.0.0.1:8080/rotate", false, true, false)]
    [InlineData("http://127.0.0.1:8080/rotate", true, true, true)]
    [InlineData("http://localhost:8080/rotate", true, true, true)]
    [InlineData("http://10.0.0.5/rotate", true, true, false)]
    [InlineData("https://user:pass@rotate.example.net/", false, true, false)]
    [InlineData(MappedArn, false, false, true)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:unknown", true, true, false)]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:plain-http", true, true, false)]
    [InlineData("", true, true, false)]
    public void CanInvoke_UrlAndMappingRules_Apply(string function, bool allowLoopback, bool allowDirect, bool expected)
    {
        using var invoker = new HttpRotationFunctionInvoker(Options(allowLoopback, allowDirect), new StubHandler((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK))));

        Assert.Equal(expected, invoker.CanInvoke(function));
    }

    [Fact]
    public async Task InvokeAsync_MappedFunction_PostsTheAwsEventWithTheKey()
    {
        HttpRequestMessage? seen = null;
        string? body = null;
        using var invoker = new HttpRotationFunctionInvoker(Options(), new StubHandler(async (request, ct) =>
        {
            seen = request;
            body = await request.Content!.ReadAsStringAsync(ct);
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        }));

        var result = await invoker.InvokeAsync(MappedArn, Event, CancellationToken.None);

        Assert.Equal(RotationStepStatus.Succeeded, result.Status);
        Assert.Equal(HttpMethod.Post, seen!.Method);
        Assert.Equal("https://rotate.example.net/api/rotate", seen.RequestUri!.ToString());
        Assert.Equal("application/json", seen.Content!.Headers.ContentType!.MediaType);
        Assert.Equal(["function-key-value"], seen.Headers.GetValues("x-functions-key"));
        Assert.Equal("""{"SecretId":"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf","ClientRequestToken":"0b5e6f7a-1111-4222-8333-944455556666","Step":"createSecret"}""", body);
    }

    [Fact]
    public async Task InvokeAsync_TransientStatus_IsTriedAgain()
    {
        var calls = 0;
        using var invoker = new HttpRotationFunctionInvoker(Options(), new StubHandler((_, _) =>
            Task.FromResult(new HttpResponseMessage(++calls == 1 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK))));

        var result = await invoker.InvokeAsync(MappedArn, Event, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task InvokeAsync_ServerError_FailsWithoutRetry()
    {
        var calls = 0;
        using var invoker = new HttpRotationFunctionInvoker(Options(), new StubHandler((_, _) =>
        {
            calls++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StringContent("traceback quoting the-secret-value") });
        }));

        var result = await invoker.InvokeAsync(MappedArn, Event, CancellationToken.None);

        Assert.Equal(RotationStepStatus.Failed, result.Status);
        Assert.Equal(500, result.HttpStatus);
        Assert.Equal(1, calls);
        Assert.DoesNotContain("the-secret-value", result.Detail ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_ConnectionRefusedEveryTime_IsUnreachable()
    {
        var calls = 0;
        using var invoker = new HttpRotationFunctionInvoker(Options(), new StubHandler((_, _) =>
        {
            calls++;
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused");
        }));

        var result = await invoker.InvokeAsync(MappedArn, Event, CancellationToken.None);

        Assert.Equal(RotationStepStatus.Unreachable, result.Status);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task InvokeAsync_NoAnswerInTime_TimesOutWithoutRetry()
    {
        var calls = 0;
        using var invoker = new HttpRotationFunctionInvoker(Options(), new StubHandler(async (_, ct) =>
        {
            calls++;
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }));

        var result = await invoker.InvokeAsync(MappedArn, Event, CancellationToken.None);

        Assert.Equal(RotationStepStatus.TimedOut, result.Status);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task InvokeAsync_NotAllowedFunction_IsUnreachableWithoutACall()
    {
        var calls = 0;
        using var invoker = new HttpRotationFunctionInvoker(Options(), new StubHandler((_, _) =>
        {
            calls++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }));

        var result = await invoker.InvokeAsync("http://10.0.0.5/rotate", Event, CancellationToken.None);

        Assert.Equal(RotationStepStatus.Unreachable, result.Status);
        Assert.Equal(0, calls);
    }

    [Fact]
    public void Describe_UrlWithKey_DropsTheQuery()
    {
        Assert.Equal("https://app.azurewebsites.net/api/rotate", RotationRunner.Describe("https://app.azurewebsites.net/api/rotate?code=secret-key"));
        Assert.Equal(MappedArn, RotationRunner.Describe(MappedArn));
    }

    private sealed class StubHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> send) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => send(request, cancellationToken);
    }
}
