using FuncSecrets.Core.Rotation;

namespace FuncSecrets.UnitTests.Rotation;

/// <summary>
/// The tracking behind RotationRunner.WhenIdleAsync. The scheduler here runs each run to its end
/// inside Start, the order a loaded machine produces when the starting thread loses the CPU
/// right after queuing the run: a run listed only after it started then stayed listed, ended,
/// and WhenIdleAsync spun on its completed task at 100% CPU (the unit suite's hang).
/// </summary>
public sealed class BackgroundRunsTests
{
    [Fact]
    public void Start_RunEndsBeforeStartReturns_NothingStaysListed()
    {
        var runs = new BackgroundRuns(new InlineScheduler());
        var ran = false;

        runs.Start(() =>
        {
            ran = true;
            return Task.CompletedTask;
        });

        Assert.True(ran);
        Assert.Equal(0, runs.Count);
        Assert.True(runs.WhenIdleAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public void Start_RunThrowsBeforeStartReturns_NothingStaysListed()
    {
        var runs = new BackgroundRuns(new InlineScheduler());

        runs.Start(() => throw new InvalidOperationException("the run failed at once"));

        Assert.Equal(0, runs.Count);
        Assert.True(runs.WhenIdleAsync().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WhenIdleAsync_RunStillGoing_WaitsForItAndForRunsItStarts()
    {
        var runs = new BackgroundRuns(new InlineScheduler());
        var first = new TaskCompletionSource();
        var second = new TaskCompletionSource();
        runs.Start(async () =>
        {
            await first.Task;
            runs.Start(() => second.Task);
        });

        var idle = runs.WhenIdleAsync();
        Assert.Equal(1, runs.Count);
        first.SetResult();
        Assert.False(idle.IsCompleted);
        Assert.Equal(1, runs.Count);

        second.SetResult();
        await idle;
        Assert.Equal(0, runs.Count);
    }

    /// <summary>Runs every task on the calling thread, at once.</summary>
    private sealed class InlineScheduler : TaskScheduler
    {
        protected override void QueueTask(Task task) => TryExecuteTask(task);

        protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => TryExecuteTask(task);

        protected override IEnumerable<Task> GetScheduledTasks() => [];
    }
}
