using FuncSecrets.Azure.Tables;

namespace FuncSecrets.UnitTests.Tables;

/// <summary>
/// The reused token sources behind each storage call's budget (issue 10 profile): a reused source
/// must behave exactly like a fresh linked one, and nothing of an earlier call may reach a later one.
/// </summary>
public sealed class CallBudgetPoolTests
{
    private static readonly TimeSpan Long = TimeSpan.FromHours(1);
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public void Rent_CallerCancels_LeaseIsCancelled()
    {
        var pool = new CallBudgetPool();
        using var caller = new CancellationTokenSource();
        var lease = pool.Rent(Long, caller.Token);

        caller.Cancel();

        Assert.True(lease.Token.IsCancellationRequested);
        pool.Return(lease);
    }

    [Fact]
    public void Rent_CallerAlreadyCancelled_LeaseIsCancelled()
    {
        var pool = new CallBudgetPool();
        var lease = pool.Rent(Long, new CancellationToken(canceled: true));

        Assert.True(lease.Token.IsCancellationRequested);
        pool.Return(lease);
    }

    [Fact]
    public async Task Rent_BudgetElapses_LeaseIsCancelled()
    {
        var pool = new CallBudgetPool();
        var lease = pool.Rent(TimeSpan.FromMilliseconds(20), default);

        var fired = new TaskCompletionSource();
        using var _ = lease.Token.Register(() => fired.TrySetResult());
        Assert.Same(fired.Task, await Task.WhenAny(fired.Task, Task.Delay(Guard)));
        pool.Return(lease);
    }

    [Fact]
    public void Return_LeaseNeverFired_SourceIsReusedUncancelled()
    {
        var pool = new CallBudgetPool();
        var first = pool.Rent(Long, default);
        pool.Return(first);

        var second = pool.Rent(Long, default);

        Assert.Same(first.Source, second.Source);
        Assert.False(second.Token.IsCancellationRequested);
        pool.Return(second);
    }

    [Fact]
    public void Return_LeaseCancelled_SourceIsNotReused()
    {
        var pool = new CallBudgetPool();
        using var caller = new CancellationTokenSource();
        var first = pool.Rent(Long, caller.Token);
        caller.Cancel();
        pool.Return(first);

        var second = pool.Rent(Long, default);

        Assert.NotSame(first.Source, second.Source);
        Assert.False(second.Token.IsCancellationRequested);
        pool.Return(second);
    }

    [Fact]
    public void Return_EarlierCallerCancelsLater_ReusedSourceIsNotCancelled()
    {
        var pool = new CallBudgetPool();
        using var earlierCaller = new CancellationTokenSource();
        var earlier = pool.Rent(Long, earlierCaller.Token);
        pool.Return(earlier);
        var later = pool.Rent(Long, default);
        Assert.Same(earlier.Source, later.Source);

        earlierCaller.Cancel();

        Assert.False(later.Token.IsCancellationRequested);
        pool.Return(later);
    }

    [Fact]
    public async Task Return_EarlierBudgetWasShorter_ReusedSourceKeepsItsOwnBudget()
    {
        var pool = new CallBudgetPool();
        var earlier = pool.Rent(TimeSpan.FromMilliseconds(50), default);
        pool.Return(earlier);
        var later = pool.Rent(Long, default);
        Assert.Same(earlier.Source, later.Source);

        await Task.Delay(300);

        Assert.False(later.Token.IsCancellationRequested);
        pool.Return(later);
    }
}
