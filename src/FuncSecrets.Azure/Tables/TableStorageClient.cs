using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using FuncSecrets.Core.Errors;
using Microsoft.Extensions.Logging;

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
/// The outcome of a transaction: every operation applied (with the ETags the service returned,
/// one per operation, null for deletes), or none applied and the index of the one that failed.
/// </summary>
internal sealed record TableTransactionResult(
    bool Succeeded,
    IReadOnlyList<string?> ETags,
    int FailedIndex = -1,
    int FailedStatus = 0,
    string? FailedErrorCode = null)
{
    public static TableTransactionResult Failure(int index, int status, string? errorCode) => new(false, [], index, status, errorCode);
}

/// <summary>
/// Every Table Storage call of the adapter goes through here, on Azure.Data.Tables'
/// <see cref="TableServiceClient"/>: one <see cref="TableClient"/> per table, reused. This is the
/// one place storage failures are mapped. Expected outcomes (404, 409, 412, a failed transaction
/// operation) are values; storage that does not answer within <see cref="TableStoreOptions.CallTimeout"/>
/// (retries included), or answers 408/429/5xx after every retry, is ServiceUnavailable and counts
/// against the circuit breaker; any other answer is a bug or a misconfiguration: logged, and
/// InternalServiceError to the caller. No <see cref="RequestFailedException"/> leaves this class.
/// </summary>
internal sealed class TableStorageClient
{
    /// <summary>The service's limit of operations in one entity-group transaction.</summary>
    public const int MaxTransactionActions = 100;

    private readonly TableServiceClient _service;
    private readonly ConcurrentDictionary<string, TableClient> _tables = new(StringComparer.Ordinal);
    private readonly StorageCircuit _circuit;
    private readonly TimeSpan _callTimeout;
    private readonly CallBudgetPool _budgets = new();
    private readonly ILogger _logger;

    public TableStorageClient(TableServiceClient service, TableStoreOptions options, ILogger logger, TimeProvider? time = null)
    {
        _service = service;
        _callTimeout = options.CallTimeout;
        _circuit = new StorageCircuit(options.CircuitFailureThreshold, options.CircuitBreakDuration, time ?? TimeProvider.System);
        _logger = logger;
    }

    /// <summary>True while storage is known to be down.</summary>
    public bool IsCircuitOpen => _circuit.IsOpen;

    /// <summary>
    /// A client for the account the options name: the connection string (account key, SAS or
    /// Azurite) when one is set; otherwise the table endpoint, with the account SAS in its query
    /// string when it carries one, else with <paramref name="credential"/> (Entra ID).
    /// </summary>
    public static TableStorageClient FromOptions(TableStoreOptions options, TokenCredential? credential, ILogger logger, HttpPipelineTransport? transport = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CallTimeout <= TimeSpan.Zero || options.NetworkTimeout <= TimeSpan.Zero || options.MaxRetries < 0
            || options.CircuitFailureThreshold < 1 || options.CircuitBreakDuration < TimeSpan.Zero)
        {
            throw new ArgumentException(
                $"{TableStoreOptions.SectionName}: CallTimeout and NetworkTimeout must be positive, MaxRetries at least 0, "
                + "CircuitFailureThreshold at least 1 and CircuitBreakDuration not negative.",
                nameof(options));
        }

        var clientOptions = new TableClientOptions();
        // Exponential from 100 ms (with Azure.Core's jitter), capped at 1 s; the call budget
        // ends the retries of a storage that never answers.
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(100);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        clientOptions.Diagnostics.ApplicationId = "FuncSecrets";
        // Request and response logging of the SDK would copy entity bodies (sealed values) into
        // the event source; keep it off.
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        clientOptions.Diagnostics.IsDistributedTracingEnabled = false;
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        TableServiceClient service;
        if (!string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            service = new TableServiceClient(options.ConnectionString, clientOptions);
        }
        else if (options.TableEndpoint is { } endpoint)
        {
            if (endpoint.Query.Contains("sig=", StringComparison.Ordinal))
            {
                var bare = new UriBuilder(endpoint) { Query = string.Empty }.Uri;
                service = new TableServiceClient(bare, new AzureSasCredential(endpoint.Query.TrimStart('?')), clientOptions);
            }
            else
            {
                service = new TableServiceClient(
                    endpoint,
                    credential ?? throw new ArgumentException($"{TableStoreOptions.SectionName}:TableEndpoint needs a TokenCredential or a SAS.", nameof(credential)),
                    clientOptions);
            }
        }
        else
        {
            throw new ArgumentException($"Set {TableStoreOptions.SectionName}:ConnectionString or {TableStoreOptions.SectionName}:TableEndpoint.", nameof(options));
        }

        return new TableStorageClient(service, options, logger, time);
    }

    public Task CreateTableIfNotExistsAsync(string table, CancellationToken cancellationToken) =>
        RunAsync("CreateTable", Table(table), static async (client, token) => (object?)await client.CreateIfNotExistsAsync(token), cancellationToken);

    /// <summary>Point read; null when the entity does not exist.</summary>
    public Task<TableEntity?> GetEntityAsync(string table, string partitionKey, string rowKey, CancellationToken cancellationToken, IReadOnlyList<string>? select = null) =>
        RunAsync(
            "GetEntity",
            (Client: Table(table), PartitionKey: partitionKey, RowKey: rowKey, Select: select),
            static async (state, token) =>
            {
                var response = await state.Client.GetEntityIfExistsAsync<TableEntity>(state.PartitionKey, state.RowKey, state.Select, token);
                return response.HasValue ? response.Value : null;
            },
            cancellationToken);

    /// <summary>
    /// Every entity matching <paramref name="filter"/>. Each page is its own storage call (its own
    /// budget, its own pass through the breaker), continued from the previous page's token.
    /// </summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(
        string table,
        string filter,
        IReadOnlyList<string>? select,
        int? pageSize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var client = Table(table);
        string? continuation = null;
        do
        {
            var page = await RunAsync(
                "QueryEntities",
                (Client: client, Filter: filter, Select: select, PageSize: pageSize, Continuation: continuation),
                static async (state, token) =>
                {
                    var pages = state.Client.QueryAsync<TableEntity>(state.Filter, state.PageSize, state.Select, token).AsPages(state.Continuation, state.PageSize);
                    await using var enumerator = pages.GetAsyncEnumerator(token);
                    return await enumerator.MoveNextAsync() ? enumerator.Current : null;
                },
                cancellationToken);
            if (page is null)
            {
                yield break;
            }

            foreach (var entity in page.Values)
            {
                yield return entity;
            }

            continuation = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuation));
    }

    /// <summary>Insert; <see cref="TableWriteStatus.Conflict"/> when the entity exists.</summary>
    public Task<TableWriteResult> AddEntityAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        WriteAsync("InsertEntity", Table(table), (client, token) => client.AddEntityAsync(entity, token), cancellationToken);

    /// <summary>Insert or replace, unconditionally.</summary>
    public Task<TableWriteResult> UpsertEntityAsync(string table, TableEntity entity, CancellationToken cancellationToken) =>
        WriteAsync("InsertOrReplaceEntity", Table(table), (client, token) => client.UpsertEntityAsync(entity, TableUpdateMode.Replace, token), cancellationToken);

    /// <summary>Merge the given properties conditional on <paramref name="etag"/> (<c>*</c> for any).</summary>
    public Task<TableWriteResult> MergeEntityAsync(string table, TableEntity entity, string etag, CancellationToken cancellationToken) =>
        WriteAsync("MergeEntity", Table(table), (client, token) => client.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Merge, token), cancellationToken);

    /// <summary>Replace the whole entity conditional on <paramref name="etag"/> (<c>*</c> for any).</summary>
    public Task<TableWriteResult> ReplaceEntityAsync(string table, TableEntity entity, string etag, CancellationToken cancellationToken) =>
        WriteAsync("UpdateEntity", Table(table), (client, token) => client.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, token), cancellationToken);

    /// <summary>Delete conditional on <paramref name="etag"/> (<c>*</c> for any); a missing entity is success.</summary>
    public Task<TableWriteResult> DeleteEntityAsync(string table, string partitionKey, string rowKey, string etag, CancellationToken cancellationToken) =>
        WriteAsync("DeleteEntity", Table(table), (client, token) => client.DeleteEntityAsync(partitionKey, rowKey, new ETag(etag), token), cancellationToken);

    /// <summary>
    /// Runs up to <see cref="MaxTransactionActions"/> operations on one partition atomically. A
    /// failed operation is a result (with its index), not an exception.
    /// </summary>
    public Task<TableTransactionResult> SubmitTransactionAsync(string table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        if (actions.Count is 0 or > MaxTransactionActions)
        {
            throw new ArgumentOutOfRangeException(nameof(actions), $"A transaction holds 1 to {MaxTransactionActions} operations.");
        }

        return RunAsync(
            "Transaction",
            (Client: Table(table), Actions: actions),
            static async (state, token) =>
            {
                try
                {
                    var response = await state.Client.SubmitTransactionAsync(state.Actions, token);
                    return new TableTransactionResult(true, [.. response.Value.Select(r => r.Headers.ETag?.ToString())]);
                }
                catch (TableTransactionFailedException failure) when (!IsTransient(failure.Status))
                {
                    // The SDK reads the index from the error message ("1:The specified entity
                    // already exists."); without one, blame the first operation.
                    return TableTransactionResult.Failure(failure.FailedTransactionActionIndex ?? 0, failure.Status, failure.ErrorCode);
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// A transaction that failed in a way its caller did not expect (not a lost race): logged
    /// with its index and status, InternalServiceError to the caller.
    /// </summary>
    public AwsException TransactionFailed(string operation, TableTransactionResult result)
    {
        TableLog.TransactionFailed(_logger, operation, result.FailedIndex, result.FailedStatus, result.FailedErrorCode);
        return AwsErrors.Internal();
    }

    /// <summary>The rows of one secret kept changing under a delete: contention, not a fault.</summary>
    public AwsException Contended(string operation)
    {
        TableLog.Contended(_logger, operation);
        return AwsErrors.ServiceUnavailable();
    }

    private TableClient Table(string name) => _tables.GetOrAdd(name, static (table, service) => service.GetTableClient(table), _service);

    private Task<TableWriteResult> WriteAsync(string operation, TableClient client, Func<TableClient, CancellationToken, Task<Response>> write, CancellationToken cancellationToken) =>
        RunAsync(
            operation,
            (Client: client, Write: write),
            static async (state, token) =>
            {
                try
                {
                    var response = await state.Write(state.Client, token);
                    return new TableWriteResult(TableWriteStatus.Success, response.Headers.ETag?.ToString());
                }
                catch (RequestFailedException failure) when (failure.Status is 404 or 409 or 412)
                {
                    return new TableWriteResult(
                        failure.Status switch
                        {
                            404 => TableWriteStatus.NotFound,
                            409 => TableWriteStatus.Conflict,
                            _ => TableWriteStatus.PreconditionFailed,
                        },
                        null);
                }
            },
            cancellationToken);

    /// <summary>
    /// One storage call: refused at once while the circuit is open, bounded by the call budget
    /// (retries included), and every failure mapped here.
    /// </summary>
    private async Task<TResult> RunAsync<TState, TResult>(
        string operation,
        TState state,
        Func<TState, CancellationToken, Task<TResult>> call,
        CancellationToken cancellationToken)
    {
        if (!_circuit.TryEnter(out var probe))
        {
            throw AwsErrors.ServiceUnavailable();
        }

        var budget = _budgets.Rent(_callTimeout, cancellationToken);
        try
        {
            var result = await call(state, budget.Token);
            Answered();
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _circuit.Abandon(probe);
            throw;
        }
        catch (Exception exception) when (IsUnavailable(exception))
        {
            if (_circuit.Failed(probe))
            {
                TableLog.CircuitOpened(_logger);
            }

            if (exception is RequestFailedException { Status: > 0 } failure)
            {
                TableLog.StorageUnavailableStatus(_logger, operation, failure.Status, failure.ErrorCode);
            }
            else
            {
                TableLog.StorageUnreachable(_logger, operation, _callTimeout.TotalMilliseconds, exception.GetType().Name);
            }

            throw AwsErrors.ServiceUnavailable();
        }
        catch (RequestFailedException failure)
        {
            // Storage answered, so it is up; the answer is one this adapter never expects
            // (403: wrong key or role; 400: a request it built wrong).
            Answered();
            TableLog.UnexpectedStatus(_logger, operation, failure.Status, failure.ErrorCode);
            throw AwsErrors.Internal();
        }
        catch
        {
            _circuit.Abandon(probe);
            throw;
        }
        finally
        {
            _budgets.Return(budget);
        }
    }

    private void Answered()
    {
        if (_circuit.Succeeded())
        {
            TableLog.CircuitClosed(_logger);
        }
    }

    /// <summary>
    /// Storage could not serve the call: no answer within the budget, the network failed (status 0
    /// or a transport exception, after the pipeline's retries), or a transient status survived them.
    /// </summary>
    private static bool IsUnavailable(Exception exception) => exception switch
    {
        RequestFailedException failure => failure.Status == 0 || IsTransient(failure.Status),
        AggregateException aggregate => aggregate.InnerExceptions.All(IsUnavailable),
        OperationCanceledException or HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };

    private static bool IsTransient(int status) => status >= 500 || status is 408 or 429;
}
