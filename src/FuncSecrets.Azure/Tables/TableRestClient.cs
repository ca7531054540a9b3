using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using FuncSecrets.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FuncSecrets.Azure.Tables;

/// <summary>How a single-entity write ended, when it ended in a way callers expect.</summary>
internal enum TableWriteStatus
{
    Success,
    NotFound,
    Conflict,
    PreconditionFailed,
}

internal readonly record struct TableWriteResult(TableWriteStatus Status, string? ETag);

/// <summary>
/// A thin Table service REST client on one <see cref="HttpPipeline"/>: one short method per call,
/// shaped like Azure.Data.Tables' <c>TableClient</c> so it can be swapped for the SDK in one file.
/// Expected outcomes (404, 409, 412) are values; storage that cannot be reached (network failure,
/// 408/429/5xx after the pipeline's retries) throws ServiceUnavailable; any other status is a bug
/// or a misconfiguration and throws <see cref="RequestFailedException"/>.
/// </summary>
internal sealed class TableRestClient
{
    /// <summary>Supported by Azure and Azurite 3.37; the first version that accepts Entra ID tokens for tables.</summary>
    public const string ApiVersion = "2019-02-02";

    private const string JsonMinimalMetadata = "application/json;odata=minimalmetadata";
    private const string ContinuationPartitionKey = "x-ms-continuation-NextPartitionKey";
    private const string ContinuationRowKey = "x-ms-continuation-NextRowKey";

    /// <summary>Merge Entity's verb (the service also takes PATCH; MERGE works on every version).</summary>
    private static readonly RequestMethod Merge = new("MERGE");

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly string _basePath;
    private readonly ILogger _logger;

    public TableRestClient(Uri endpoint, HttpPipeline pipeline, ILogger? logger = null)
    {
        _endpoint = endpoint;
        _basePath = endpoint.AbsolutePath.TrimEnd('/');
        _pipeline = pipeline;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Builds the pipeline: Azure.Core's retry (exponential from 200 ms, capped at 1 s) and
    /// per-try network timeout from the options, then the auth policy on every attempt.
    /// </summary>
    public static HttpPipeline CreatePipeline(
        TableStoreOptions options,
        HttpPipelinePolicy authPolicy,
        HttpPipelineTransport? transport = null,
        TimeSpan? retryDelay = null)
    {
        var clientOptions = new TableClientOptions();
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = retryDelay ?? TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        clientOptions.Diagnostics.ApplicationId = "FuncSecrets";
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        return HttpPipelineBuilder.Build(clientOptions, authPolicy);
    }

    /// <summary>
    /// A client for the account the options name: SharedKey from the connection string when one
    /// is set, otherwise the table endpoint with <paramref name="credential"/> (Entra ID).
    /// </summary>
    public static TableRestClient FromOptions(TableStoreOptions options, TokenCredential? credential, ILogger logger, HttpPipelineTransport? transport = null)
    {
        Uri endpoint;
        HttpPipelinePolicy auth;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            var connection = StorageConnectionString.Parse(options.ConnectionString);
            endpoint = connection.TableEndpoint;
            auth = new TableSharedKeyPolicy(connection.AccountName, connection.AccountKey);
        }
        else if (options.TableEndpoint is not null)
        {
            endpoint = options.TableEndpoint;
            auth = new BearerTokenAuthenticationPolicy(
                credential ?? throw new ArgumentException($"{TableStoreOptions.SectionName}:TableEndpoint needs a TokenCredential.", nameof(credential)),
                "https://storage.azure.com/.default");
        }
        else
        {
            throw new ArgumentException($"Set {TableStoreOptions.SectionName}:ConnectionString or {TableStoreOptions.SectionName}:TableEndpoint.", nameof(options));
        }

        return new TableRestClient(endpoint, CreatePipeline(options, auth, transport), logger);
    }

    public async Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Post, "/Tables");
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        SetJsonContent(message, Encoding.UTF8.GetBytes($"{{\"TableName\":\"{table}\"}}"));
        var response = await SendAsync(message, "CreateTable", cancellationToken);
        if (response.Status is not (201 or 204 or 409))
        {
            throw Unexpected("CreateTable", response);
        }
    }

    /// <summary>Point read; null when the entity does not exist.</summary>
    public async Task<TableEntity?> GetEntityAsync(string table, string partitionKey, string rowKey, string? select, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Get, EntityPath(table, partitionKey, rowKey));
        if (select is not null)
        {
            message.Request.Uri.AppendQuery("$select", select, escapeValue: true);
        }

        var response = await SendAsync(message, "GetEntity", cancellationToken);
        if (response.Status == 404)
        {
            return null;
        }

        if (response.Status != 200)
        {
            throw Unexpected("GetEntity", response);
        }

        using var json = JsonDocument.Parse(response.Content.ToMemory());
        var entity = TableEntityJson.Read(json.RootElement);
        if (response.Headers.ETag is { } etag)
        {
            entity.ETag = etag.ToString();
        }

        return entity;
    }

    /// <summary>
    /// Every entity matching <paramref name="filter"/>, page by page, following the
    /// <c>x-ms-continuation-*</c> headers until the service sends none.
    /// </summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string table,
        string filter,
        string? select,
        int? pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? nextPartitionKey = null;
        string? nextRowKey = null;
        do
        {
            List<TableEntity> page;
            using (var message = CreateMessage(RequestMethod.Get, $"/{table}()"))
            {
                var uri = message.Request.Uri;
                uri.AppendQuery("$filter", filter, escapeValue: true);
                if (select is not null)
                {
                    uri.AppendQuery("$select", select, escapeValue: true);
                }

                if (pageSize is not null)
                {
                    uri.AppendQuery("$top", pageSize.Value.ToString(CultureInfo.InvariantCulture), escapeValue: false);
                }

                if (nextPartitionKey is not null)
                {
                    uri.AppendQuery("NextPartitionKey", nextPartitionKey, escapeValue: true);
                }

                if (nextRowKey is not null)
                {
                    uri.AppendQuery("NextRowKey", nextRowKey, escapeValue: true);
                }

                var response = await SendAsync(message, "QueryEntities", cancellationToken);
                if (response.Status != 200)
                {
                    throw Unexpected("QueryEntities", response);
                }

                response.Headers.TryGetValue(ContinuationPartitionKey, out nextPartitionKey);
                response.Headers.TryGetValue(ContinuationRowKey, out nextRowKey);
                using var json = JsonDocument.Parse(response.Content.ToMemory());
                page = [.. json.RootElement.GetProperty("value").EnumerateArray().Select(TableEntityJson.Read)];
            }

            foreach (var entity in page)
            {
                yield return entity;
            }
        }
        while (!string.IsNullOrEmpty(nextPartitionKey));
    }

    /// <summary>Insert; <see cref="TableWriteStatus.Conflict"/> when the entity exists.</summary>
    public Task<TableWriteResult> AddEntityAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        WriteAsync(RequestMethod.Post, $"/{table}", entity, etag: null, "InsertEntity", cancellationToken);

    /// <summary>Insert or replace, unconditionally.</summary>
    public Task<TableWriteResult> UpsertEntityAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        WriteAsync(RequestMethod.Put, EntityPath(table, entity.PartitionKey, entity.RowKey), entity, etag: null, "InsertOrReplaceEntity", cancellationToken);

    /// <summary>Replace conditional on <paramref name="etag"/> (<c>*</c> for any).</summary>
    public Task<TableWriteResult> UpdateEntityAsync(string table, TableEntity entity, string etag, CancellationToken cancellationToken) =>
        WriteAsync(RequestMethod.Put, EntityPath(table, entity.PartitionKey, entity.RowKey), entity, etag, "UpdateEntity", cancellationToken);

    /// <summary>Merge the given properties conditional on <paramref name="etag"/> (<c>*</c> for any).</summary>
    public Task<TableWriteResult> MergeEntityAsync(string table, TableEntity entity, string etag, CancellationToken cancellationToken) =>
        WriteAsync(Merge, EntityPath(table, entity.PartitionKey, entity.RowKey), entity, etag, "MergeEntity", cancellationToken);

    /// <summary>Delete conditional on <paramref name="etag"/> (<c>*</c> for any).</summary>
    public async Task<TableWriteResult> DeleteEntityAsync(string table, string partitionKey, string rowKey, string etag, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(RequestMethod.Delete, EntityPath(table, partitionKey, rowKey));
        message.Request.Headers.SetValue(HttpHeader.Names.IfMatch, etag);
        var response = await SendAsync(message, "DeleteEntity", cancellationToken);
        return Classify("DeleteEntity", response);
    }

    /// <summary>
    /// Runs up to <see cref="TableTransaction.MaxActions"/> operations on one partition
    /// atomically. A failed operation is a result (with its index), not an exception.
    /// </summary>
    public async Task<TableTransactionResult> SubmitTransactionAsync(string table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        if (actions.Count is 0 or > TableTransaction.MaxActions)
        {
            throw new ArgumentOutOfRangeException(nameof(actions), $"A transaction holds 1 to {TableTransaction.MaxActions} operations.");
        }

        var batchBoundary = "batch_" + Guid.NewGuid().ToString("D");
        var changesetBoundary = "changeset_" + Guid.NewGuid().ToString("D");
        var origin = _endpoint.GetLeftPart(UriPartial.Authority);
        var body = TableTransaction.BuildBody(
            actions,
            batchBoundary,
            changesetBoundary,
            _ => origin + _basePath + "/" + table,
            e => origin + _basePath + EntityPath(table, e.PartitionKey, e.RowKey));

        using var message = CreateMessage(RequestMethod.Post, "/$batch");
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "multipart/mixed; boundary=" + batchBoundary);
        message.Request.Content = RequestContent.Create(body);
        var response = await SendAsync(message, "Transaction", cancellationToken);
        if (response.Status != 202)
        {
            throw Unexpected("Transaction", response);
        }

        var result = TableTransaction.ParseResponse(response.Content.ToString(), actions.Count);
        if (!result.Succeeded && (result.FailedStatus >= 500 || result.FailedStatus is 408 or 429))
        {
            TableLog.StorageUnavailableStatus(_logger, "Transaction", result.FailedStatus, result.FailedErrorCode, RequestId(response));
            throw AwsErrors.ServiceUnavailable();
        }

        return result;
    }

    private async Task<TableWriteResult> WriteAsync(RequestMethod method, string path, TableEntity entity, string? etag, string operation, CancellationToken cancellationToken)
    {
        using var message = CreateMessage(method, path);
        message.Request.Headers.SetValue("Prefer", "return-no-content");
        if (etag is not null)
        {
            message.Request.Headers.SetValue(HttpHeader.Names.IfMatch, etag);
        }

        SetJsonContent(message, TableEntityJson.Serialize(entity));
        var response = await SendAsync(message, operation, cancellationToken);
        return Classify(operation, response);
    }

    private TableWriteResult Classify(string operation, Response response) => response.Status switch
    {
        200 or 201 or 204 => new TableWriteResult(TableWriteStatus.Success, response.Headers.ETag?.ToString()),
        404 => new TableWriteResult(TableWriteStatus.NotFound, null),
        409 => new TableWriteResult(TableWriteStatus.Conflict, null),
        412 => new TableWriteResult(TableWriteStatus.PreconditionFailed, null),
        _ => throw Unexpected(operation, response),
    };

    private HttpMessage CreateMessage(RequestMethod method, string relativePath)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        // Appended verbatim: EntityPath has already escaped the keys, and the SharedKey policy
        // signs this exact string. (Setting RequestUriBuilder.Path after Reset is not used: in
        // Azure.Core 1.64 it leaves ToUri() returning the stale address.)
        request.Uri.Reset(_endpoint);
        request.Uri.AppendPath(relativePath, escape: false);
        request.Headers.SetValue("x-ms-version", ApiVersion);
        request.Headers.SetValue(TableSharedKeyPolicy.DateHeader, DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture));
        request.Headers.SetValue("DataServiceVersion", "3.0");
        request.Headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        request.Headers.SetValue(HttpHeader.Names.Accept, JsonMinimalMetadata);
        return message;
    }

    private static void SetJsonContent(HttpMessage message, byte[] json)
    {
        message.Request.Headers.SetValue(HttpHeader.Names.ContentType, "application/json");
        message.Request.Content = RequestContent.Create(json);
    }

    /// <summary>
    /// <c>/{table}(PartitionKey='{pk}',RowKey='{rk}')</c>: quotes doubled as OData string literals
    /// require, then percent-encoded as a path segment (as Azure.Data.Tables does).
    /// </summary>
    internal static string EntityPath(string table, string partitionKey, string rowKey) =>
        $"/{table}(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private async Task<Response> SendAsync(HttpMessage message, string operation, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.SendAsync(message, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (IsTransportFailure(exception))
        {
            // The pipeline has already retried: the storage account cannot be reached.
            TableLog.StorageUnreachable(_logger, operation, exception);
            throw AwsErrors.ServiceUnavailable();
        }

        var response = message.Response;
        if (response.Status >= 500 || response.Status is 408 or 429)
        {
            TableLog.StorageUnavailableStatus(_logger, operation, response.Status, ErrorCode(response), RequestId(response));
            throw AwsErrors.ServiceUnavailable();
        }

        return response;
    }

    private static bool IsTransportFailure(Exception exception) => exception is
        RequestFailedException or AggregateException or OperationCanceledException
        or HttpRequestException or IOException or TimeoutException;

    private RequestFailedException Unexpected(string operation, Response response)
    {
        var errorCode = ErrorCode(response);
        TableLog.UnexpectedStatus(_logger, operation, response.Status, errorCode, RequestId(response));
        return new RequestFailedException(
            response.Status,
            $"Table storage answered {operation} with status {response.Status} ({errorCode}).",
            errorCode,
            innerException: null);
    }

    private static string? RequestId(Response response) =>
        response.Headers.TryGetValue("x-ms-request-id", out var id) ? id : null;

    private static string? ErrorCode(Response response)
    {
        if (response.Headers.TryGetValue("x-ms-error-code", out var code))
        {
            return code;
        }

        try
        {
            using var json = JsonDocument.Parse(response.Content.ToMemory());
            return json.RootElement.TryGetProperty("odata.error", out var error) && error.TryGetProperty("code", out var value)
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class TableClientOptions : ClientOptions;
}
