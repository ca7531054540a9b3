namespace FuncSecrets.Azure.Tables;

/// <summary>
/// A circuit breaker in front of one storage account. Closed: every call goes through. After
/// <c>threshold</c> consecutive failed calls (each already retried within its budget) it opens:
/// calls fail at once instead of each waiting out its own timeout. Once the break has passed, one
/// call at a time is let through as a probe; its success closes the circuit (no restart needed),
/// its failure opens it for another break.
/// </summary>
/// <remarks>
/// Hand-written rather than Polly's: the store needs the breaker around each page of a query as
/// well as around single calls, and the state fits in three fields under one lock.
/// </remarks>
internal sealed class StorageCircuit
{
    private readonly int _threshold;
    private readonly TimeSpan _breakDuration;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private int _failures;
    private long _openUntil;
    private bool _open;
    private bool _probing;

    public StorageCircuit(int threshold, TimeSpan breakDuration, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(breakDuration, TimeSpan.Zero);
        _threshold = threshold;
        _breakDuration = breakDuration;
        _time = time;
    }

    /// <summary>True while storage is known to be down (calls are refused, a probe may be running).</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _open;
            }
        }
    }

    /// <summary>
    /// Whether a call may go to storage now. <paramref name="probe"/> is true for the one call let
    /// through after a break; the caller must then report its outcome (or <see cref="Abandon"/>).
    /// </summary>
    public bool TryEnter(out bool probe)
    {
        probe = false;
        if (!Volatile.Read(ref _open))
        {
            return true;
        }

        lock (_gate)
        {
            if (!_open)
            {
                return true;
            }

            if (_probing || _time.GetTimestamp() < _openUntil)
            {
                return false;
            }

            _probing = probe = true;
            return true;
        }
    }

    /// <summary>Storage answered (with any status): it is up.</summary>
    /// <returns>True when this success closed an open circuit.</returns>
    public bool Succeeded()
    {
        if (Volatile.Read(ref _failures) == 0 && !Volatile.Read(ref _open))
        {
            return false;
        }

        lock (_gate)
        {
            var closed = _open;
            _failures = 0;
            _open = false;
            _probing = false;
            return closed;
        }
    }

    /// <summary>Storage did not answer in time, or answered 5xx/408/429 after every retry.</summary>
    /// <returns>True when this failure opened the circuit.</returns>
    public bool Failed(bool probe)
    {
        lock (_gate)
        {
            _failures++;
            if (probe)
            {
                _probing = false;
            }

            if (_failures < _threshold && !probe)
            {
                return false;
            }

            var opened = !_open;
            _open = true;
            _openUntil = _time.GetTimestamp() + (long)(_breakDuration.TotalSeconds * _time.TimestampFrequency);
            return opened;
        }
    }

    /// <summary>A probe ended without telling anything about storage (the caller cancelled).</summary>
    public void Abandon(bool probe)
    {
        if (probe)
        {
            lock (_gate)
            {
                _probing = false;
            }
        }
    }
}
