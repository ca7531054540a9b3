using System.Net;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Errors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FuncSecrets.UnitTests.Tables;

/// <summary>
/// The adapter's one failure mapping, call budget and circuit breaker, on Azure.Data.Tables over a
/// scripted HTTP handler: no <c>RequestFailedException</c> ever leaves it.
/// </summary>
public sealed class TableStorageClientTests
{
    private const string Account = "UseDevelopmentStorage=true";
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task GetEntityAsync_ServiceKeepsFailing_RetriesThenThrowsServiceUnavailable()
    {
        var (client, handler) = Build(_ => FakeTableHandler.Json(HttpStatusCode.ServiceUnavailable, "{}"), o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<AwsException>(() => client.GetEntityAsync("secrets", "p", "meta", default));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(AwsErrorCodes.ServiceUnavailable, error.Code);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task GetEntityAsync_ConnectionFails_ThrowsServiceUnavailable()
    {
        var (client, _) = Build(_ => throw new HttpRequestException("Connection refused"), o => o.MaxRetries = 1);

        var error = await Assert.ThrowsAsync<AwsException>(() => client.GetEntityAsync("secrets", "p", "meta", default));

        Assert.Equal(503, error.StatusCode);
    }

    /// <summary>
    /// Issue 11: a silent server. Per-try timeouts and retries alone would wait
    /// (MaxRetries + 1) × NetworkTimeout; the call budget ends the call however many retries remain.
    /// </summary>
    [Fact]
    public async Task GetEntityAsync_ServerNeverAnswers_CallBudgetEndsAllRetriesWithServiceUnavailable()
    {
        var (client, _) = Build(
            _ => FakeTableHandler.Json(HttpStatusCode.OK, "{}"),
            o =>
            {
                o.MaxRetries = 1000;
                o.NetworkTimeout = TimeSpan.FromHours(1);
                o.CallTimeout = TimeSpan.FromMilliseconds(100);
            },
            hang: true);

        var call = client.GetEntityAsync("secrets", "p", "meta", default);
        Assert.Same(call, await Task.WhenAny(call, Task.Delay(Guard)));

        var error = await Assert.ThrowsAsync<AwsException>(() => call);
        Assert.Equal(AwsErrorCodes.ServiceUnavailable, error.Code);
    }

    [Fact]
    public async Task GetEntityAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var (client, _) = Build(_ => FakeTableHandler.Json(HttpStatusCode.OK, "{}"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetEntityAsync("secrets", "p", "meta", cancelled.Token));
    }

    [Fact]
    public async Task GetEntityAsync_BadRequest_ThrowsInternalServiceErrorWithoutStorageText()
    {
        var (client, _) = Build(_ => FakeTableHandler.Json(
            HttpStatusCode.BadRequest,
            """{"odata.error":{"code":"PropertyValueTooLarge","message":{"lang":"en-US","value":"The property value exceeds the maximum allowed size (64KB)."}}}"""));

        var error = await Assert.ThrowsAsync<AwsException>(() => client.GetEntityAsync("secrets", "p", "meta", default));

        Assert.Equal(500, error.StatusCode);
        Assert.Equal(AwsErrorCodes.InternalServiceError, error.Code);
        Assert.DoesNotContain("64KB", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetEntityAsync_Missing_ReturnsNull()
    {
        var (client, _) = Build(_ => FakeTableHandler.Json(
            HttpStatusCode.NotFound,
            """{"odata.error":{"code":"ResourceNotFound","message":{"lang":"en-US","value":"The specified resource does not exist."}}}"""));

        Assert.Null(await client.GetEntityAsync("secrets", "p", "meta", default));
    }

    [Fact]
    public async Task GetEntityAsync_Found_ReadsTypedPropertiesAndTheETag()
    {
        var (client, handler) = Build(_ => FakeTableHandler.Json(
            HttpStatusCode.OK,
            """{"odata.metadata":"x","odata.etag":"W/\"body\"","PartitionKey":"p","RowKey":"meta","Timestamp":"2024-01-01T00:00:00Z","B@odata.type":"Edm.Binary","B":"AAEC","N@odata.type":"Edm.Int64","N":"9007199254740993","S":"text"}"""));

        var entity = await client.GetEntityAsync("secrets", "a|b$0027", "meta", default);

        Assert.NotNull(entity);
        Assert.Equal("W/\"body\"", entity.ETagText());
        Assert.Equal(new byte[] { 0, 1, 2 }, entity.GetBinary("B"));
        Assert.Equal(9007199254740993L, entity.GetInt64("N"));
        Assert.Equal("text", entity.GetString("S"));
        Assert.Contains("PartitionKey='a%7Cb%240027'", handler.Requests.Single().Request.RequestUri!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task QueryAsync_ContinuationHeaders_FetchesEveryPageWithThem()
    {
        var (client, handler) = Build(request => request.RequestUri!.Query.Contains("NextPartitionKey", StringComparison.Ordinal)
            ? FakeTableHandler.Json(HttpStatusCode.OK, """{"value":[{"PartitionKey":"p2","RowKey":"meta"}]}""")
            : FakeTableHandler.Json(
                HttpStatusCode.OK,
                """{"value":[{"PartitionKey":"p1","RowKey":"meta"}]}""",
                ("x-ms-continuation-NextPartitionKey", "1!8!cDI-"),
                ("x-ms-continuation-NextRowKey", "1!8!bWV0YQ--")));

        var keys = new List<string>();
        await foreach (var entity in client.QueryAsync("secrets", "RowKey eq 'meta'", ["PartitionKey", "RowKey"], 1, default))
        {
            keys.Add(entity.PartitionKey);
        }

        Assert.Equal(["p1", "p2"], keys);
        var second = Uri.UnescapeDataString(handler.Requests[1].Request.RequestUri!.Query);
        Assert.Contains("NextPartitionKey=1!8!cDI-", second, StringComparison.Ordinal);
        Assert.Contains("NextRowKey=1!8!bWV0YQ--", second, StringComparison.Ordinal);
        Assert.Contains("$filter=RowKey eq 'meta'", second, StringComparison.Ordinal);
        Assert.Contains("$select=PartitionKey,RowKey", second, StringComparison.Ordinal);
        Assert.Contains("$top=1", second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.NoContent, nameof(TableWriteStatus.Success))]
    [InlineData(HttpStatusCode.NotFound, nameof(TableWriteStatus.NotFound))]
    [InlineData(HttpStatusCode.Conflict, nameof(TableWriteStatus.Conflict))]
    [InlineData(HttpStatusCode.PreconditionFailed, nameof(TableWriteStatus.PreconditionFailed))]
    public async Task MergeEntityAsync_ExpectedStatus_IsAValue(HttpStatusCode status, string expectedStatus)
    {
        var expected = Enum.Parse<TableWriteStatus>(expectedStatus);
        var (client, handler) = Build(_ => FakeTableHandler.Json(status, "{}", ("ETag", "W/\"new\"")));

        var result = await client.MergeEntityAsync("secrets", new TableEntity("p", "r"), "W/\"old\"", default);

        Assert.Equal(expected, result.Status);
        var request = handler.Requests.Single().Request;
        Assert.Equal("W/\"old\"", request.Headers.GetValues("If-Match").Single());
    }

    [Fact]
    public async Task SubmitTransactionAsync_TooManyActions_IsRejectedBeforeSending()
    {
        var (client, handler) = Build(_ => FakeTableHandler.Json(HttpStatusCode.Accepted, ""));
        var actions = Enumerable.Range(0, 101)
            .Select(i => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("p", $"r{i}")))
            .ToList();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.SubmitTransactionAsync("secrets", actions, default));
        Assert.Empty(handler.Requests);
    }

    /// <summary>Issue 11: while storage is known down, calls fail at once without touching it.</summary>
    [Fact]
    public async Task Circuit_ConsecutiveFailures_OpensAndAnswersWithoutCallingStorage()
    {
        var time = new FakeTimeProvider();
        var (client, handler) = Build(_ => FakeTableHandler.Json(HttpStatusCode.ServiceUnavailable, "{}"), o => o.MaxRetries = 0, time: time);

        await FailUntilOpenAsync(client);

        var sent = handler.Requests.Count;
        var error = await Assert.ThrowsAsync<AwsException>(() => client.GetEntityAsync("secrets", "p", "meta", default));

        Assert.Equal(AwsErrorCodes.ServiceUnavailable, error.Code);
        Assert.Equal(sent, handler.Requests.Count);
        Assert.True(client.IsCircuitOpen);
    }

    /// <summary>Issue 11: recovery needs no restart. After the break one probe goes out; its answer closes the circuit.</summary>
    [Fact]
    public async Task Circuit_AfterBreakStorageAnswers_ProbeClosesIt()
    {
        var time = new FakeTimeProvider();
        var up = false;
        var (client, handler) = Build(
            _ => up
                ? FakeTableHandler.Json(HttpStatusCode.OK, """{"odata.etag":"W/\"x\"","PartitionKey":"p","RowKey":"meta"}""")
                : FakeTableHandler.Json(HttpStatusCode.InternalServerError, "{}"),
            o => o.MaxRetries = 0,
            time: time);
        await FailUntilOpenAsync(client);

        up = true;
        await Assert.ThrowsAsync<AwsException>(() => client.GetEntityAsync("secrets", "p", "meta", default));
        var sent = handler.Requests.Count;
        time.Advance(new TableStoreOptions().CircuitBreakDuration);

        Assert.NotNull(await client.GetEntityAsync("secrets", "p", "meta", default));
        Assert.False(client.IsCircuitOpen);
        Assert.NotNull(await client.GetEntityAsync("secrets", "p", "meta", default));
        Assert.Equal(sent + 2, handler.Requests.Count);
    }

    [Fact]
    public async Task Circuit_FailedProbe_OpensForAnotherBreak()
    {
        var time = new FakeTimeProvider();
        var (client, handler) = Build(_ => FakeTableHandler.Json(HttpStatusCode.ServiceUnavailable, "{}"), o => o.MaxRetries = 0, time: time);
        await FailUntilOpenAsync(client);

        time.Advance(new TableStoreOptions().CircuitBreakDuration);
        await Assert.ThrowsAsync<AwsException>(() => client.GetEntityAsync("secrets", "p", "meta", default));
        var sent = handler.Requests.Count;
        await Assert.ThrowsAsync<AwsException>(() => client.GetEntityAsync("secrets", "p", "meta", default));

        Assert.Equal(sent, handler.Requests.Count);
        Assert.True(client.IsCircuitOpen);
    }

    /// <summary>
    /// Issue 11: the default settings bound one storage call to about 2 s in total. The old
    /// defaults (5 s per try, 2 retries, no overall budget) allowed about 15.5 s.
    /// </summary>
    [Fact]
    public void Defaults_BoundOneStorageCallToTwoSeconds()
    {
        var options = new TableStoreOptions();

        Assert.True(options.CallTimeout <= TimeSpan.FromSeconds(2));
        Assert.True(options.NetworkTimeout < options.CallTimeout, "A single try must leave room for a retry within the budget.");
    }

    [Fact]
    public void FromOptions_EndpointWithoutCredentialOrSas_IsRejected()
    {
        var options = new TableStoreOptions { TableEndpoint = new Uri("https://account.table.core.windows.net") };

        Assert.Throws<ArgumentException>(() => TableStorageClient.FromOptions(options, credential: null, NullLogger.Instance));
    }

    [Fact]
    public async Task FromOptions_EndpointWithAccountSas_SignsWithTheSas()
    {
        var handler = new FakeTableHandler((_, _) => FakeTableHandler.Json(HttpStatusCode.NotFound, "{}"));
        var options = new TableStoreOptions { TableEndpoint = new Uri("https://account.table.core.windows.net/?sv=2019-02-02&ss=t&srt=sco&sp=rwdlacu&sig=abc%3D") };
        var client = TableStorageClient.FromOptions(options, credential: null, NullLogger.Instance, new HttpClientTransport(handler));

        await client.GetEntityAsync("secrets", "p", "meta", default);

        var request = handler.Requests.Single().Request;
        Assert.Contains("sig=abc%3D", request.RequestUri!.Query, StringComparison.Ordinal);
        Assert.False(request.Headers.Contains("Authorization"));
    }

    /// <summary>As many failed calls in a row as the default threshold takes to open the circuit.</summary>
    private static async Task FailUntilOpenAsync(TableStorageClient client)
    {
        for (var i = 0; i < new TableStoreOptions().CircuitFailureThreshold; i++)
        {
            await Assert.ThrowsAsync<AwsException>(() => client.GetEntityAsync("secrets", "p", "meta", default));
        }
    }

    private static (TableStorageClient Client, FakeTableHandler Handler) Build(
        Func<HttpRequestMessage, HttpResponseMessage> respond,
        Action<TableStoreOptions>? configure = null,
        bool hang = false,
        TimeProvider? time = null)
    {
        var handler = new FakeTableHandler((request, _) => respond(request)) { Hang = hang };
        var options = new TableStoreOptions { ConnectionString = Account };
        configure?.Invoke(options);
        return (TableStorageClient.FromOptions(options, credential: null, NullLogger.Instance, new HttpClientTransport(handler), time), handler);
    }
}
