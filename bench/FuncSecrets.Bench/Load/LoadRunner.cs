using System.Diagnostics;

namespace FuncSecrets.Bench.Load;

/// <summary>What one closed-loop run measured.</summary>
public sealed record LoadResult(string Name, int Connections, long Requests, long Errors, TimeSpan Elapsed, double[] SortedLatenciesMs)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    public double Percentile(double p) =>
        SortedLatenciesMs.Length == 0 ? double.NaN : SortedLatenciesMs[Math.Min(SortedLatenciesMs.Length - 1, (int)(p * SortedLatenciesMs.Length))];

    /// <summary>Several runs of one kind as one: requests and time add up, latencies pool.</summary>
    public static LoadResult Combine(IReadOnlyList<LoadResult> runs)
    {
        var latencies = runs.SelectMany(r => r.SortedLatenciesMs).ToArray();
        Array.Sort(latencies);
        return new LoadResult(
            runs[0].Name,
            runs[0].Connections,
            runs.Sum(r => r.Requests),
            runs.Sum(r => r.Errors),
            TimeSpan.FromTicks(runs.Sum(r => r.Elapsed.Ticks)),
            latencies);
    }
}

/// <summary>
/// A closed-loop load generator: <c>connections</c> workers, each with one request in flight,
/// over one HttpClient whose pool holds exactly that many connections. Latency is measured per
/// request from send to the last byte of the response.
/// </summary>
public static class LoadRunner
{
    public static HttpClient CreateClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        UseProxy = false,
        UseCookies = false,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// Runs <paramref name="connections"/> workers for <paramref name="duration"/>; <paramref name="next"/>
    /// makes worker i's next request; a response is a success when <paramref name="isSuccess"/> says
    /// so (default: status 200), otherwise it is counted and passed to <paramref name="onError"/>.
    /// </summary>
    public static async Task<LoadResult> RunAsync(
        string name,
        HttpClient http,
        int connections,
        TimeSpan duration,
        Func<int, HttpRequestMessage> next,
        Func<HttpResponseMessage, bool>? isSuccess = null,
        Action<HttpResponseMessage, byte[]>? onError = null)
    {
        isSuccess ??= r => (int)r.StatusCode == 200;
        var latencies = new List<double>[connections];
        var errors = 0L;
        var started = Stopwatch.GetTimestamp();
        var stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(i => Task.Run(async () =>
        {
            var mine = latencies[i] = new List<double>(4096);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                using var request = next(i);
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    if (!isSuccess(response))
                    {
                        Interlocked.Increment(ref errors);
                        onError?.Invoke(response, body);
                    }
                }
                catch (HttpRequestException)
                {
                    mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    Interlocked.Increment(ref errors);
                }
                catch (TaskCanceledException)
                {
                    mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        return new LoadResult(name, connections, all.Length, errors, elapsed, all);
    }
}

/// <summary>
/// Signed calls replayed in turn and signed again every minute, well inside SigV4's 5-minute
/// window, so the load generator spends its time sending, not signing.
/// </summary>
public sealed class SignedCallPool(Func<int, SignedCall> sign, int size)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);
    private readonly Lock _lock = new();
    private SignedCall[] _calls = [];
    private long _signedAt;
    private long _counter;

    public SignedCall Next()
    {
        var calls = Volatile.Read(ref _calls);
        if (calls.Length == 0 || Stopwatch.GetElapsedTime(Volatile.Read(ref _signedAt)) > MaxAge)
        {
            lock (_lock)
            {
                if (_calls.Length == 0 || Stopwatch.GetElapsedTime(_signedAt) > MaxAge)
                {
                    _calls = Enumerable.Range(0, size).Select(sign).ToArray();
                    _signedAt = Stopwatch.GetTimestamp();
                }

                calls = _calls;
            }
        }

        return calls[(int)((ulong)Interlocked.Increment(ref _counter) % (ulong)calls.Length)];
    }
}
