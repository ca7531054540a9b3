namespace FuncSecrets.Core.Services;

/// <summary>
/// What writers of one app share: a striped lock per secret name, so writes to one secret in
/// this process queue instead of racing on ETags, and when storage last failed, so writers that
/// queued before a failure give up at once instead of each waiting out its own timeout.
/// </summary>
public sealed class WriteGate
{
    private readonly SemaphoreSlim[] _stripes;
    private long _lastStorageFailure;

    public WriteGate(int stripes = 512)
    {
        _stripes = new SemaphoreSlim[stripes];
        for (var i = 0; i < stripes; i++)
        {
            _stripes[i] = new SemaphoreSlim(1, 1);
        }
    }

    public SemaphoreSlim StripeFor(string name) =>
        _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(name) % (uint)_stripes.Length)];

    /// <summary>Stopwatch ticks of the last storage failure seen by a writer.</summary>
    public long LastStorageFailure => Volatile.Read(ref _lastStorageFailure);

    public void StorageFailed() => Volatile.Write(ref _lastStorageFailure, System.Diagnostics.Stopwatch.GetTimestamp());
}
