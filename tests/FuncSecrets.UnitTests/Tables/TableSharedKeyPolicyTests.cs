using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using FuncSecrets.Azure.Tables;
using Microsoft.Extensions.Time.Testing;

namespace FuncSecrets.UnitTests.Tables;

public sealed class TableSharedKeyPolicyTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task OnSendingRequest_PointRead_SignsTheTableStringToSign()
    {
        var (client, handler) = Build(_ => FakeTableHandler.Json(HttpStatusCode.NotFound, "{}"));

        await client.GetEntityAsync("secrets", "a|b", "meta", null, default);

        var request = handler.Requests.Single().Request;
        // The path as sent is the path signed: the account twice (path-style endpoint), the key
        // percent-encoded, no query string (only comp= is ever signed).
        Assert.Equal("/devstoreaccount1/secrets(PartitionKey='a%7Cb',RowKey='meta')", request.RequestUri!.AbsolutePath);
        Assert.Equal("Wed, 01 May 2024 12:00:00 GMT", request.Headers.GetValues("x-ms-date").Single());
        // Known answer: HMAC-SHA256 over
        // "GET\n\n\nWed, 01 May 2024 12:00:00 GMT\n/devstoreaccount1/devstoreaccount1/secrets(PartitionKey='a%7Cb',RowKey='meta')"
        // computed independently (Python hmac) with the Azurite development key.
        Assert.Equal("SharedKey devstoreaccount1:Xr4UKfxGcL7q23EKLvxZRZ50h0FkBf0PuuK1niU06G8=", request.Headers.Authorization!.ToString());
    }

    [Fact]
    public void BuildStringToSign_BatchPost_IncludesContentTypeAndDate()
    {
        var policy = new TableSharedKeyPolicy("devstoreaccount1", Convert.FromBase64String(Key), new FakeTimeProvider(Now));
        var pipeline = HttpPipelineBuilder.Build(new TestClientOptions());
        using var message = pipeline.CreateMessage();
        message.Request.Method = RequestMethod.Post;
        message.Request.Uri.Reset(new Uri("http://127.0.0.1:10002/devstoreaccount1/$batch?comp=ignored&timeout=30"));
        message.Request.Headers.SetValue("Content-Type", "multipart/mixed; boundary=batch_1");
        message.Request.Headers.SetValue("x-ms-date", "Wed, 01 May 2024 12:00:00 GMT");

        var stringToSign = policy.BuildStringToSign(message.Request);

        Assert.Equal(
            "POST\n\nmultipart/mixed; boundary=batch_1\nWed, 01 May 2024 12:00:00 GMT\n/devstoreaccount1/devstoreaccount1/$batch?comp=ignored",
            stringToSign);
    }

    internal static (TableRestClient Client, FakeTableHandler Handler) Build(
        Func<HttpRequestMessage, HttpResponseMessage> respond, int maxRetries = 0, bool hang = false, TimeSpan? networkTimeout = null)
    {
        var handler = new FakeTableHandler((request, _) => respond(request)) { Hang = hang };
        var policy = new TableSharedKeyPolicy("devstoreaccount1", Convert.FromBase64String(Key), new FakeTimeProvider(Now));
        var options = new TableStoreOptions { MaxRetries = maxRetries, NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(5) };
        var pipeline = TableRestClient.CreatePipeline(options, policy, new HttpClientTransport(handler), TimeSpan.FromMilliseconds(1));
        return (new TableRestClient(new Uri("http://127.0.0.1:10002/devstoreaccount1"), pipeline), handler);
    }

    private sealed class TestClientOptions : ClientOptions;
}
