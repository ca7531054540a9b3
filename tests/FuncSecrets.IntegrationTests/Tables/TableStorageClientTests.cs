using System.Diagnostics;
using Azure.Data.Tables;
using FuncSecrets.Azure.Tables;
using FuncSecrets.Core.Errors;
using FuncSecrets.IntegrationTests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using static FuncSecrets.IntegrationTests.Tables.TableStoreTestData;

namespace FuncSecrets.IntegrationTests.Tables;

/// <summary>The storage adapter on Azure.Data.Tables against a real Azurite: transactions, ETags, auth, failures.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStorageClientTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TableSecretStore _store = null!;

    private TableStorageClient Client => _store.Client;

    private string Table => _store.TableName;

    public async Task InitializeAsync() => _store = await NewStoreAsync(azurite, nameof(TableStorageClientTests));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SubmitTransactionAsync_LastOperationConflicts_NamesItsIndexAndWritesNothing()
    {
        Assert.Equal(TableWriteStatus.Success, (await Client.AddEntityAsync(Table, Row("p1", "existing"), default)).Status);
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, Row("p1", "new-a")),
            new(TableTransactionActionType.UpsertReplace, Row("p1", "new-b")),
            new(TableTransactionActionType.Add, Row("p1", "existing")),
        ];

        var result = await Client.SubmitTransactionAsync(Table, actions, default);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedIndex);
        Assert.Equal(409, result.FailedStatus);
        Assert.Null(await Client.GetEntityAsync(Table, "p1", "new-a", default));
        Assert.Null(await Client.GetEntityAsync(Table, "p1", "new-b", default));
    }

    [Fact]
    public async Task SubmitTransactionAsync_StaleETag_Fails412AtThatIndex()
    {
        var written = await Client.AddEntityAsync(Table, Row("p2", "row"), default);
        Assert.Equal(TableWriteStatus.Success, (await Client.MergeEntityAsync(Table, Row("p2", "row", "v2"), written.ETag!, default)).Status);
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, Row("p2", "other")),
            new(TableTransactionActionType.UpdateReplace, Row("p2", "row", "v3"), new global::Azure.ETag(written.ETag!)),
        ];

        var result = await Client.SubmitTransactionAsync(Table, actions, default);

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.FailedIndex);
        Assert.Equal(412, result.FailedStatus);
        Assert.Equal("v2", (await Client.GetEntityAsync(Table, "p2", "row", default))!.GetString("Data"));
    }

    [Fact]
    public async Task SubmitTransactionAsync_AllSucceed_ReturnsAnETagPerWrite()
    {
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, Row("p3", "a")),
            new(TableTransactionActionType.UpsertReplace, Row("p3", "b")),
        ];

        var result = await Client.SubmitTransactionAsync(Table, actions, default);

        Assert.True(result.Succeeded);
        Assert.Equal(2, result.ETags.Count);
        var a = await Client.GetEntityAsync(Table, "p3", "a", default);
        Assert.Equal(a!.ETagText(), result.ETags[0]);
    }

    [Fact]
    public async Task UpdateEntityAsync_StaleETag_ReturnsPreconditionFailed()
    {
        var first = await Client.AddEntityAsync(Table, Row("p4", "row"), default);
        Assert.Equal(TableWriteStatus.Success, (await Client.MergeEntityAsync(Table, Row("p4", "row", "merged"), "*", default)).Status);

        var stale = await Client.MergeEntityAsync(Table, Row("p4", "row", "late"), first.ETag!, default);

        Assert.Equal(TableWriteStatus.PreconditionFailed, stale.Status);
        Assert.Equal(TableWriteStatus.NotFound, (await Client.MergeEntityAsync(Table, Row("p4", "absent"), "*", default)).Status);
        Assert.Equal(TableWriteStatus.Conflict, (await Client.AddEntityAsync(Table, Row("p4", "row"), default)).Status);
    }

    [Fact]
    public async Task CreateAsync_ExistingTables_Succeeds()
    {
        var options = new TableStoreOptions { ConnectionString = azurite.ConnectionString, TableName = Table, DueTableName = _store.DueTableName };

        var again = await TableSecretStore.CreateAsync(options, null, default);

        Assert.Null(await again.GetAsync("anything", default));
    }

    [Fact]
    public async Task CreateAsync_WrongAccountKey_FailsWithInternalErrorNotAStorageException()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var options = new TableStoreOptions
        {
            ConnectionString = azurite.ConnectionString.Replace(AzuriteFixture.DevelopmentAccountKey, wrongKey),
            TableName = AzuriteFixture.UniqueTableName("wrongkey"),
        };

        var error = await Assert.ThrowsAsync<AwsException>(() => TableSecretStore.CreateAsync(options, null, default));

        Assert.Equal(AwsErrorCodes.InternalServiceError, error.Code);
        Assert.DoesNotContain(wrongKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_NothingListening_FailsWithServiceUnavailableWithinThreeSeconds()
    {
        var port = AzuriteFixture.FreePort();
        var options = new TableStoreOptions
        {
            ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1",
        };
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<AwsException>(() => TableSecretStore.CreateAsync(options, null, NullLogger.Instance, default));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"Took {stopwatch.Elapsed}.");
        Assert.Equal(503, error.StatusCode);
        Assert.Equal(AwsErrorCodes.ServiceUnavailable, error.Code);
    }

    [Fact]
    public async Task QueryAsync_FilterWithQuote_IsEscapedAsODataLiteral()
    {
        Assert.Equal(TableWriteStatus.Success, (await Client.AddEntityAsync(Table, Row("p5", "r", "it's"), default)).Status);

        var found = new List<TableEntity>();
        await foreach (var entity in Client.QueryAsync(Table, $"PartitionKey eq 'p5' and Data eq {TableSecretStore.Quote("it's")}", null, 1, default))
        {
            found.Add(entity);
        }

        Assert.Equal("it's", Assert.Single(found).GetString("Data"));
    }

    private static TableEntity Row(string partitionKey, string rowKey, string data = "v1")
    {
        var entity = new TableEntity(partitionKey, rowKey);
        entity.Set("Data", data);
        entity.Set("Count", 42L);
        entity.Set("When", Created);
        entity.Set("Bytes", new byte[] { 0, 1, 2, 255 });
        return entity;
    }
}
