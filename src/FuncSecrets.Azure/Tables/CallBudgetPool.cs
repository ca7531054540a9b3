namespace FuncSecrets.Azure.Tables;

/// <summary>
/// The cancellation sources that carry each storage call's time budget, reused. A new linked
/// source per call costs the source, its link to the caller's token and a timer; a reused one
/// keeps its timer (re-armed by <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>) and
/// links to the caller's token with a registration only when that token can be cancelled.
/// A source that was cancelled (budget spent or caller gone) cannot be reset and is disposed.
/// </summary>
internal sealed class CallBudgetPool
{
    private readonly CancellationTokenSource?[] _free;

    public CallBudgetPool(int capacity = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _free = new CancellationTokenSource?[capacity];
    }

    /// <summary>
    /// A source that cancels after <paramref name="budget"/> or when <paramref name="caller"/> is
    /// cancelled, whichever comes first. Hand it back with <see cref="Return"/>.
    /// </summary>
    public Lease Rent(TimeSpan budget, CancellationToken caller)
    {
        var source = Take() ?? new CancellationTokenSource();
        source.CancelAfter(budget);
        var link = caller.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), source);
        return new Lease(source, link);
    }

    /// <summary>Unlinks the source from the caller's token (waiting out a running cancel) and reuses it if it never fired.</summary>
    public void Return(Lease lease)
    {
        lease.Link.Dispose();
        var source = lease.Source;
        if (!source.TryReset())
        {
            source.Dispose();
            return;
        }

        for (var i = 0; i < _free.Length; i++)
        {
            if (Interlocked.CompareExchange(ref _free[i], source, null) is null)
            {
                return;
            }
        }

        source.Dispose();
    }

    private CancellationTokenSource? Take()
    {
        for (var i = 0; i < _free.Length; i++)
        {
            if (Volatile.Read(ref _free[i]) is not null && Interlocked.Exchange(ref _free[i], null) is { } source)
            {
                return source;
            }
        }

        return null;
    }

    internal readonly record struct Lease(CancellationTokenSource Source, CancellationTokenRegistration Link)
    {
        public CancellationToken Token => Source.Token;
    }
}
