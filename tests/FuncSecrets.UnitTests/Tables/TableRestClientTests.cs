using System.Net;
using Azure;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Errors;
using static FuncSecrets.UnitTests.Tables.TableSharedKeyPolicyTests;

namespace FuncSecrets.UnitTests.Tables;

/// <summary>Status classification and paging, against a scripted HTTP handler.</summary>
public sealed class TableRestClientTests
{
    [Fact]
    public async Task GetEntityAsync_ServiceKeepsFailing_RetriesThenThrowsServiceUnavailable()
    {
        var (client, handler) = Build(_ => FakeTableHandler.Json(HttpStatusCode.ServiceUnavailable, "{}"), maxRetries: 2);

        var error = await Assert.ThrowsAsync<AwsException>(() => client.GetEntityAsync("secrets", "p", "meta", null, default));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(AwsErrorCodes.ServiceUnavailable, error.Code);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task GetEntityAsync_ConnectionFails_ThrowsServiceUnavailable()
    {
        var (client, _) = Build(_ => throw new HttpRequestException("Connection refused"), maxRetries: 1);

        var error = await Assert.ThrowsAsync<AwsException>(() => client.GetEntityAsync("secrets", "p", "meta", null, default));

        Assert.Equal(503, error.StatusCode);
    }

    [Fact]
    public async Task GetEntityAsync_ServerNeverAnswers_NetworkTimeoutBecomesServiceUnavailable()
    {
        var (client, handler) = Build(_ => FakeTableHandler.Json(HttpStatusCode.OK, "{}"), maxRetries: 1, hang: true, networkTimeout: TimeSpan.FromMilliseconds(50));

        var error = await Assert.ThrowsAsync<AwsException>(() => client.GetEntityAsync("secrets", "p", "meta", null, default));

        Assert.Equal(503, error.StatusCode);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task GetEntityAsync_CallerCancels_ThrowsOperationCanceled()
    {
        var (client, _) = Build(_ => FakeTableHandler.Json(HttpStatusCode.OK, "{}"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetEntityAsync("secrets", "p", "meta", null, cancelled.Token));
    }

    [Fact]
    public async Task GetEntityAsync_BadRequest_ThrowsRequestFailedWithTheErrorCode()
    {
        var (client, _) = Build(_ => FakeTableHandler.Json(
            HttpStatusCode.BadRequest,
            """{"odata.error":{"code":"PropertyValueTooLarge","message":{"lang":"en-US","value":"The property value exceeds the maximum allowed size (64KB)."}}}"""));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.GetEntityAsync("secrets", "p", "meta", null, default));

        Assert.Equal(400, error.Status);
        Assert.Equal("PropertyValueTooLarge", error.ErrorCode);
    }

    [Fact]
    public async Task GetEntityAsync_Found_ReadsTypedPropertiesAndTheETagHeader()
    {
        var (client, _) = Build(_ => FakeTableHandler.Json(
            HttpStatusCode.OK,
            """{"odata.metadata":"x","odata.etag":"W/\"body\"","PartitionKey":"p","RowKey":"meta","Timestamp":"2024-01-01T00:00:00Z","B@odata.type":"Edm.Binary","B":"AAEC","N@odata.type":"Edm.Int64","N":"9007199254740993","S":"text"}""",
            ("ETag", "W/\"header\"")));

        var entity = await client.GetEntityAsync("secrets", "p", "meta", null, default);

        Assert.Equal("W/\"header\"", entity!.ETag);
        Assert.Equal(new byte[] { 0, 1, 2 }, entity.GetBinary("B"));
        Assert.Equal(9007199254740993L, entity.GetInt64("N"));
        Assert.Equal("text", entity.GetString("S"));
        Assert.False(entity.Properties.ContainsKey("Timestamp"));
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
        await foreach (var entity in client.QueryAsync("secrets", "RowKey eq 'meta'", "PartitionKey,RowKey", 1, default))
        {
            keys.Add(entity.PartitionKey);
        }

        Assert.Equal(["p1", "p2"], keys);
        var second = handler.Requests[1].Request.RequestUri!.Query;
        Assert.Contains("NextPartitionKey=1%218%21cDI-", second, StringComparison.Ordinal);
        Assert.Contains("NextRowKey=1%218%21bWV0YQ--", second, StringComparison.Ordinal);
        Assert.Contains("$filter=RowKey%20eq%20%27meta%27", second, StringComparison.Ordinal);
        Assert.Contains("$top=1", second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.NoContent, nameof(TableWriteStatus.Success))]
    [InlineData(HttpStatusCode.NotFound, nameof(TableWriteStatus.NotFound))]
    [InlineData(HttpStatusCode.Conflict, nameof(TableWriteStatus.Conflict))]
    [InlineData(HttpStatusCode.PreconditionFailed, nameof(TableWriteStatus.PreconditionFailed))]
    public async Task UpdateEntityAsync_ExpectedStatus_IsAValue(HttpStatusCode status, string expectedStatus)
    {
        var expected = Enum.Parse<TableWriteStatus>(expectedStatus);
        var (client, handler) = Build(_ => FakeTableHandler.Json(status, "{}", ("ETag", "W/\"new\"")));

        var result = await client.UpdateEntityAsync("secrets", new TableEntity("p", "r"), "W/\"old\"", default);

        Assert.Equal(expected, result.Status);
        var request = handler.Requests.Single().Request;
        Assert.Equal("PUT", request.Method.Method);
        Assert.Equal("W/\"old\"", request.Headers.IfMatch.Single().ToString());
        Assert.Equal("2019-02-02", request.Headers.GetValues("x-ms-version").Single());
    }

    [Fact]
    public async Task MergeEntityAsync_SendsMergeVerbWithIfMatchStar()
    {
        var (client, handler) = Build(_ => FakeTableHandler.Json(HttpStatusCode.NoContent, "{}"));
        var entity = new TableEntity("p", "r");
        entity.Set("LastAccessedDate", new DateTimeOffset(2024, 6, 7, 0, 0, 0, TimeSpan.Zero));

        await client.MergeEntityAsync("secrets", entity, "*", default);

        var (request, body) = handler.Requests.Single();
        Assert.Equal("MERGE", request.Method.Method);
        Assert.Equal("*", request.Headers.GetValues("If-Match").Single());
        Assert.Equal(
            """{"PartitionKey":"p","RowKey":"r","LastAccessedDate@odata.type":"Edm.DateTime","LastAccessedDate":"2024-06-07T00:00:00.0000000Z"}""",
            body);
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
}
