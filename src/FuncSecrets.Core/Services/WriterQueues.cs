namespace FuncSecrets.Core.Services;

/// <summary>
/// Where the writers of one app queue: a striped lock per secret name, so writes to one secret in
/// this process queue instead of racing on ETags, and when storage last failed, so writers that
/// queued before a failure give up at once instead of each waiting out its own timeout.
/// </summary>
public sealed class WriterQueues
{
    private readonly SemaphoreSlim[] _stripes;
    private long _lastStorageFailure;

    public WriterQueues(int stripes = 512)
    {
        _stripes = new SemaphoreSlim[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new SemaphoreSlim(1, 1);
        }
    }

    /// <summary>The queue (a one-slot semaphore) the writers of <paramref name="name"/> wait on.</summary>
    public SemaphoreSlim For(string name) =>
        _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(name) % (uint)_stripes.Length)];

    /// <summary>Stopwatch ticks of the last storage failure seen by a writer.</summary>
    public long LastStorageFailure => Volatile.Read(ref _lastStorageFailure);

    public void StorageFailed() => Volatile.Write(ref _lastStorageFailure, System.Diagnostics.Stopwatch.GetTimestamp());
}
