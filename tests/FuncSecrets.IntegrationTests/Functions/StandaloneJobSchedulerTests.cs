using FuncSecrets.Core.Jobs;
using FuncSecrets.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// The standalone scheduler on a fake clock. BackgroundService runs ExecuteAsync on the thread
/// pool, so each test first waits until the scheduler has armed its timers, then moves the clock.
/// </summary>
public sealed class StandaloneJobSchedulerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Scheduler_Standalone_RunsShortlyAfterStartThenEveryInterval()
    {
        var time = new ArmedTimeProvider();
        var job = new SignallingJob("A");
        using var scheduler = Create(time, job, intervalSeconds: 300);

        await scheduler.StartAsync(CancellationToken.None);
        await time.WaitForTimersAsync(2);
        Assert.Equal(0, job.Runs);

        time.Advance(StandaloneJobScheduler.FirstRunDelay);
        await job.WaitForRunsAsync(1);
        time.Advance(TimeSpan.FromSeconds(300) - StandaloneJobScheduler.FirstRunDelay - TimeSpan.FromSeconds(1));
        Assert.Equal(1, job.Runs);
        time.Advance(TimeSpan.FromSeconds(1));
        await job.WaitForRunsAsync(2);

        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Scheduler_JobFails_OtherJobsRunAndNextTickRetries()
    {
        var time = new ArmedTimeProvider();
        var failing = new SignallingJob("Failing", fail: true);
        var healthy = new SignallingJob("Healthy");
        using var scheduler = Create(time, [failing, healthy], intervalSeconds: 60);

        await scheduler.StartAsync(CancellationToken.None);
        await time.WaitForTimersAsync(2);
        time.Advance(StandaloneJobScheduler.FirstRunDelay);
        await healthy.WaitForRunsAsync(1);
        time.Advance(TimeSpan.FromSeconds(60));
        await healthy.WaitForRunsAsync(2);

        Assert.Equal(2, failing.Runs);
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Scheduler_JobCannotBeBuilt_LogsAndRetriesNextTick()
    {
        // A job's dependencies (the store) may be unreachable at start: the pass fails, the
        // scheduler lives on, and the next tick builds the job again.
        var time = new ArmedTimeProvider();
        var job = new SignallingJob("Late");
        var attempts = 0;
        var services = new ServiceCollection();
        services.AddSingleton<IScheduledJob>(_ => ++attempts == 1 ? throw new InvalidOperationException("storage unreachable") : job);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FuncSecrets:Jobs:StandaloneIntervalSeconds"] = "60",
        }).Build();
        using var provider = services.BuildServiceProvider();
        using var scheduler = new StandaloneJobScheduler(provider, configuration, time, NullLogger<StandaloneJobScheduler>.Instance);

        await scheduler.StartAsync(CancellationToken.None);
        await time.WaitForTimersAsync(2);
        time.Advance(StandaloneJobScheduler.FirstRunDelay);
        time.Advance(TimeSpan.FromSeconds(60));
        await job.WaitForRunsAsync(1);

        Assert.Equal(2, attempts);
        Assert.False(scheduler.ExecuteTask!.IsCompleted);
        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Scheduler_Stop_CancelsTheRunningJob()
    {
        var time = new ArmedTimeProvider();
        var job = new SignallingJob("Slow", block: true);
        using var scheduler = Create(time, job, intervalSeconds: 60);
        await scheduler.StartAsync(CancellationToken.None);
        await time.WaitForTimersAsync(2);
        time.Advance(StandaloneJobScheduler.FirstRunDelay);
        await job.WaitForRunsAsync(1);

        await scheduler.StopAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.True(job.SawCancellation);
        Assert.True(scheduler.ExecuteTask!.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Scheduler_IntervalZero_StaysIdle()
    {
        var time = new ArmedTimeProvider();
        var job = new SignallingJob("A");
        var settings = new Dictionary<string, string?> { ["FuncSecrets:Jobs:StandaloneIntervalSeconds"] = "0" };

        using var scheduler = new StandaloneJobScheduler(Services([job]), new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), time, NullLogger<StandaloneJobScheduler>.Instance);
        await scheduler.StartAsync(CancellationToken.None);

        await scheduler.ExecuteTask!.WaitAsync(Patience);
        Assert.Equal(0, time.TimersCreated);
        Assert.Equal(0, job.Runs);
    }

    private static StandaloneJobScheduler Create(TimeProvider time, IScheduledJob job, int intervalSeconds) =>
        Create(time, [job], intervalSeconds);

    private static StandaloneJobScheduler Create(TimeProvider time, IScheduledJob[] jobs, int intervalSeconds)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FuncSecrets:Jobs:StandaloneIntervalSeconds"] = intervalSeconds.ToString(),
        }).Build();
        return new StandaloneJobScheduler(Services(jobs), configuration, time, NullLogger<StandaloneJobScheduler>.Instance);
    }

    private static ServiceProvider Services(IScheduledJob[] jobs)
    {
        var services = new ServiceCollection();
        foreach (var job in jobs)
        {
            services.AddSingleton(job);
        }

        return services.BuildServiceProvider();
    }

    /// <summary>A fake clock that tells when timers have been created on it.</summary>
    private sealed class ArmedTimeProvider : TimeProvider
    {
        private readonly FakeTimeProvider _fake = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));
        private readonly SemaphoreSlim _created = new(0);
        private int _count;

        public int TimersCreated => Volatile.Read(ref _count);

        public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

        public override long GetTimestamp() => _fake.GetTimestamp();

        public override long TimestampFrequency => _fake.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = _fake.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _count);
            _created.Release();
            return timer;
        }

        public void Advance(TimeSpan delta) => _fake.Advance(delta);

        public async Task WaitForTimersAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(await _created.WaitAsync(Patience), $"the scheduler created {TimersCreated} of {count} timers");
            }
        }
    }

    private sealed class SignallingJob(string name, bool fail = false, bool block = false) : IScheduledJob
    {
        private readonly SemaphoreSlim _ran = new(0);
        private int _runs;

        public string Name => name;

        public int Runs => Volatile.Read(ref _runs);

        public bool SawCancellation { get; private set; }

        public async Task<JobResult> RunOnceAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _runs);
            _ran.Release();
            if (block)
            {
                try
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    SawCancellation = true;
                    throw;
                }
            }

            if (fail)
            {
                throw new InvalidOperationException("job failed");
            }

            return new JobResult(1, 1, TimeSpan.Zero);
        }

        public async Task WaitForRunsAsync(int runs)
        {
            while (Runs < runs)
            {
                Assert.True(await _ran.WaitAsync(Patience), $"job {name} ran {Runs} of {runs} times");
            }
        }
    }
}
