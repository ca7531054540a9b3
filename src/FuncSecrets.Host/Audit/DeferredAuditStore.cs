using System.Runtime.CompilerServices;
using FuncSecrets.Core.Audit;

namespace FuncSecrets.Host.Audit;

/// <summary>
/// Opens the audit store (the CloudTrail files' container) on first use and again after a failure, so storage that is down at
/// start-up delays audit writes (the log still has every record) instead of failing requests.
/// </summary>
public sealed class DeferredAuditStore(Func<CancellationToken, Task<IAuditStore>> open) : IAuditStore
{
    private readonly Lock _gate = new();
    private Task<IAuditStore>? _store;

    public async Task AppendAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) =>
        await (await GetAsync(cancellationToken)).AppendAsync(records, cancellationToken);

    public async IAsyncEnumerable<AuditRecord> ReadAsync(DateTimeOffset since, DateTimeOffset until, string? secret, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var store = await GetAsync(cancellationToken);
        await foreach (var record in store.ReadAsync(since, until, secret, cancellationToken))
        {
            yield return record;
        }
    }

    private Task<IAuditStore> GetAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_store is null || _store.IsFaulted || _store.IsCanceled)
            {
                _store = open(cancellationToken);
            }

            return _store;
        }
    }
}
