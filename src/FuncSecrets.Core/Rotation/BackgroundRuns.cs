using System.Collections.Concurrent;

namespace FuncSecrets.Core.Rotation;

/// <summary>
/// Work started in the background and tracked until it ends, so tests and shutdown can wait for
/// it (<see cref="WhenIdleAsync"/>). Each run is listed before it can start and takes itself off
/// the list when it ends, so nothing that has ended stays listed.
/// </summary>
internal sealed class BackgroundRuns(TaskScheduler? scheduler = null)
{
    private readonly ConcurrentDictionary<long, Task> _running = new();
    private readonly TaskScheduler _scheduler = scheduler ?? TaskScheduler.Default;
    private long _nextId;

    /// <summary>Runs listed and not yet ended.</summary>
    public int Count => _running.Count;

    /// <summary>Starts <paramref name="work"/> on the scheduler (the thread pool) and lists it until it ends.</summary>
    public void Start(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var id = Interlocked.Increment(ref _nextId);

        // Listed first, started second. Listing it after Task.Run lost the race whenever the run
        // ended before the starting thread got the CPU back (all of it synchronous on the
        // in-memory store, a loaded machine): the ended run was listed for good, and
        // WhenIdleAsync awaited its completed task over and over without ever yielding, a 100%
        // CPU hang of the unit suite.
        var start = new Task<Task>(async () =>
        {
            try
            {
                await work();
            }
            finally
            {
                _running.TryRemove(id, out _);
            }
        }, TaskCreationOptions.DenyChildAttach);
        _running[id] = start.Unwrap();
        start.Start(_scheduler);
    }

    /// <summary>Completes when no run is listed, including runs started while it waits.</summary>
    public async Task WhenIdleAsync()
    {
        while (!_running.IsEmpty)
        {
            await Task.WhenAll(_running.Values);
        }
    }
}
