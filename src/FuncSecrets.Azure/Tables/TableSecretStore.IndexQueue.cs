using System.Collections.Concurrent;
using Azure.Data.Tables;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// Group commit for the listing index (issue 13, write cost). Every row of a state lives in one
/// partition, so the index changes of many concurrent writes fit in one entity-group transaction.
/// Each partition has a queue and at most one transaction in flight: a writer's changes wait
/// while one is out, then go with everyone else's that arrived meanwhile (up to 100 actions, in
/// arrival order, never two changes to one row in a transaction). At one writer nothing waits;
/// at 32, one transaction carries the step-one rows of several writes and the step-two
/// confirmations of others. A refused group is retried change by change (each in its own
/// transaction, then row by row, as before), so one writer's lost race costs the others a round
/// trip, never their outcome. Step two is not awaited by the writer (<see cref="FinishAsync"/>):
/// a confirmation still queued when the process dies leaves the state a crash after the commit
/// leaves, which readers and the sweep repair (docs/listing.md). A queue holding only such
/// confirmations waits <see cref="ConfirmLinger"/> before it sends them, so the next write's step
/// one (one writer writing one secret over and over) can take them along; a confirmation of a row
/// that a later queued step one rewrites or marks is dropped, since that write overrides it anyway.
/// </summary>
public sealed partial class TableSecretStore : IAsyncDisposable, IDisposable
{
    /// <summary>Queued actions per partition beyond which a writer waits for its own confirmation.</summary>
    private const int MaxQueuedActions = 2_000;

    /// <summary>How long queued confirmations wait for company before they go alone.</summary>
    private static readonly TimeSpan ConfirmLinger = TimeSpan.FromMilliseconds(5);

    private readonly ConcurrentDictionary<string, IndexQueue> _indexQueues = new(StringComparer.Ordinal);

    /// <summary>Test hook: confirmations are dropped instead of sent, as a crash with them still queued would.</summary>
    internal bool DropConfirmations { get; set; }

    /// <summary>Waits until every queued listing-index change has been sent (tests, shutdown).</summary>
    internal async Task FlushListIndexAsync()
    {
        while (_indexQueues.Values.Select(q => q.Idle).Where(t => !t.IsCompleted).ToList() is { Count: > 0 } busy)
        {
            await Task.WhenAll(busy);
        }
    }

    /// <summary>Sends the confirmations still queued, so a clean shutdown leaves no row unconfirmed.</summary>
    public async ValueTask DisposeAsync() => await FlushListIndexAsync();

    /// <summary>
    /// Waits for nothing: a container disposed synchronously leaves queued confirmations to run
    /// on in the background (a process that exits first leaves what a crash leaves, repaired).
    /// </summary>
    public void Dispose()
    {
    }

    /// <summary>
    /// Queues one change's actions on one partition (at most 100, no row twice) and returns the
    /// ETags they got once they are written.
    /// </summary>
    private Task<Dictionary<(string, string), string?>> EnqueueIndexChange(string partition, List<TableTransactionAction> actions, bool confirmation = false)
    {
        var work = new IndexWork(actions, confirmation);
        var queue = _indexQueues.GetOrAdd(partition, static _ => new IndexQueue());
        lock (queue)
        {
            if (!confirmation)
            {
                Supersede(queue, actions);

                // A writer waits for this one: a drain lingering for company goes now.
                queue.Wake?.TrySetResult();
                queue.Wake = null;
            }

            queue.Waiting.Add(work);
            queue.WaitingActions += actions.Count;
            if (queue.Idle.IsCompleted)
            {
                var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                queue.Idle = idle.Task;
                _ = Task.Run(() => DrainAsync(queue, idle));
            }
        }

        return work.Done.Task;
    }

    /// <summary>
    /// Drops the queued confirmations (conditional merges of <c>Confirmed</c>) of rows that
    /// <paramref name="later"/> rewrites or marks: applied first, they would be overwritten;
    /// applied after, refused by their ETag. Deletions stay: they name rows the later write leaves alone.
    /// </summary>
    private static void Supersede(IndexQueue queue, List<TableTransactionAction> later)
    {
        var rewritten = later
            .Where(a => a.ActionType is TableTransactionActionType.UpsertReplace or TableTransactionActionType.UpsertMerge)
            .Select(a => a.Entity.RowKey)
            .ToHashSet(StringComparer.Ordinal);
        for (var i = queue.Waiting.Count - 1; i >= 0; i--)
        {
            var queued = queue.Waiting[i];
            if (!queued.Confirmation)
            {
                continue;
            }

            var dropped = queued.Actions.RemoveAll(a => a.ActionType == TableTransactionActionType.UpdateMerge && rewritten.Contains(a.Entity.RowKey));
            queue.WaitingActions -= dropped;
            if (queued.Actions.Count == 0)
            {
                queue.Waiting.RemoveAt(i);
                queued.Done.TrySetResult([]);
            }
        }
    }

    /// <summary>Whether a partition's queue is long enough that a writer should wait for its confirmation.</summary>
    private bool Backlogged(string partition) =>
        _indexQueues.TryGetValue(partition, out var queue) && Volatile.Read(ref queue.WaitingActions) > MaxQueuedActions;

    private async Task DrainAsync(IndexQueue queue, TaskCompletionSource idle)
    {
        var lingered = false;
        while (true)
        {
            var group = new List<IndexWork>();
            var linger = false;
            Task? woken = null;
            lock (queue)
            {
                var rows = new HashSet<string>(StringComparer.Ordinal);
                var count = 0;
                linger = !lingered && queue.Waiting.Count > 0 && queue.Waiting.TrueForAll(w => w.Confirmation);
                if (linger)
                {
                    queue.Wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    woken = queue.Wake.Task;
                }

                while (!linger && queue.Waiting.Count > 0 && queue.Waiting[0] is var next
                    && (group.Count == 0 || (count + next.Actions.Count <= TableStorageClient.MaxTransactionActions && next.Actions.All(a => !rows.Contains(a.Entity.RowKey)))))
                {
                    queue.Waiting.RemoveAt(0);
                    queue.WaitingActions -= next.Actions.Count;
                    count += next.Actions.Count;
                    rows.UnionWith(next.Actions.Select(a => a.Entity.RowKey));
                    group.Add(next);
                }

                if (group.Count == 0 && !linger)
                {
                    idle.SetResult();
                    return;
                }
            }

            // Real time, not the injected clock: a pause between storage calls, not business time.
            lingered = linger;
            if (linger)
            {
                await Task.WhenAny(Task.Delay(ConfirmLinger), woken!);
                continue;
            }

            await SubmitGroupAsync(group);
        }
    }

    private async Task SubmitGroupAsync(List<IndexWork> group)
    {
        if (group.Count > 1)
        {
            var actions = group.SelectMany(w => w.Actions).ToList();
            TableTransactionResult? result = null;
            try
            {
                result = await _client.SubmitTransactionAsync(_listTable, actions, CancellationToken.None);
            }
            catch (Exception)
            {
                // Storage failed for everyone (or the group could not be sent): each change
                // tries once more alone and fails alone, so no waiting writer is left hanging.
            }

            if (result is { Succeeded: true })
            {
                var offset = 0;
                foreach (var work in group)
                {
                    var etags = new Dictionary<(string, string), string?>(work.Actions.Count);
                    foreach (var action in work.Actions)
                    {
                        etags[(action.Entity.PartitionKey, action.Entity.RowKey)] = result.ETags[offset++];
                    }

                    work.Done.TrySetResult(etags);
                }

                return;
            }
        }

        await Task.WhenAll(group.Select(async work =>
        {
            try
            {
                work.Done.TrySetResult(await SubmitOneAsync(work.Actions, CancellationToken.None));
            }
            catch (Exception error)
            {
                work.Done.TrySetException(error);
            }
        }));
    }

    /// <summary>
    /// One change's actions on one partition as one transaction. Refused because one of its rows
    /// moved on (404, 409, 412: a concurrent writer or reader), it is retried row by row, where
    /// each such refusal only means that row is someone else's now. Returns the new ETags.
    /// </summary>
    private async Task<Dictionary<(string, string), string?>> SubmitOneAsync(List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        var etags = new Dictionary<(string, string), string?>(batch.Count);
        var result = await _client.SubmitTransactionAsync(_listTable, batch, cancellationToken);
        if (result.Succeeded)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                etags[(batch[i].Entity.PartitionKey, batch[i].Entity.RowKey)] = result.ETags[i];
            }

            return etags;
        }

        if (result.FailedStatus is not (404 or 409 or 412))
        {
            throw _client.TransactionFailed("ListIndex", result);
        }

        foreach (var action in batch)
        {
            var entity = (TableEntity)action.Entity;
            var single = action.ActionType switch
            {
                TableTransactionActionType.Delete => _client.DeleteEntityAsync(_listTable, entity.PartitionKey, entity.RowKey, action.ETag.ToString(), cancellationToken),
                TableTransactionActionType.UpdateMerge => _client.MergeEntityAsync(_listTable, entity, action.ETag.ToString(), cancellationToken),
                TableTransactionActionType.UpsertMerge => _client.MergeEntityAsync(_listTable, entity, "*", cancellationToken),
                _ => _client.UpsertEntityAsync(_listTable, entity, cancellationToken),
            };
            etags[(entity.PartitionKey, entity.RowKey)] = (await single).ETag;
        }

        return etags;
    }

    /// <summary>The queue of one index partition.</summary>
    private sealed class IndexQueue
    {
        public List<IndexWork> Waiting { get; } = [];

        public int WaitingActions;

        /// <summary>Set while a drain lingers for company; a change a writer waits for completes it.</summary>
        public TaskCompletionSource? Wake { get; set; }

        /// <summary>Completed while no drain runs; a drain completes it when the queue is empty.</summary>
        public Task Idle { get; set; } = Task.CompletedTask;
    }

    /// <summary>One change's actions on one partition, and who waits for their ETags.</summary>
    private sealed class IndexWork(List<TableTransactionAction> actions, bool confirmation)
    {
        public List<TableTransactionAction> Actions { get; } = actions;

        /// <summary>A step two (after the commit): nobody waits for it, a later step one may supersede it.</summary>
        public bool Confirmation { get; } = confirmation;

        public TaskCompletionSource<Dictionary<(string, string), string?>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
