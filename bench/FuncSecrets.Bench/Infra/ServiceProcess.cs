using System.Diagnostics;
using System.Globalization;
using FuncSecrets.Bench.Load;

namespace FuncSecrets.Bench.Infra;

/// <summary>
/// FuncSecrets.Server as a separate process, configured through environment variables only (as
/// Azure app settings configure it): <c>dotnet FuncSecrets.Server.dll</c>, or a published
/// executable. Its output is drained (the last lines are kept for a failure message).
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private ServiceProcess(Process process, Uri endpoint, long startedAt)
    {
        _process = process;
        Endpoint = endpoint;
        StartedAt = startedAt;
    }

    public Uri Endpoint { get; }

    public int ProcessId => _process.Id;

    /// <summary>The <see cref="Stopwatch"/> timestamp taken just before the process was started.</summary>
    public long StartedAt { get; }

    /// <summary>
    /// Starts <paramref name="program"/>: a <c>.dll</c> runs under <c>dotnet</c>, anything else is
    /// executed directly (a self-contained publish).
    /// </summary>
    public static ServiceProcess Start(string program, IReadOnlyDictionary<string, string> settings)
    {
        var port = Ports.Free();
        var endpoint = new Uri($"http://127.0.0.1:{port}/");
        var isDll = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var start = new ProcessStartInfo(isDll ? "dotnet" : program)
        {
            WorkingDirectory = Path.GetDirectoryName(program)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (isDll)
        {
            start.ArgumentList.Add(program);
        }

        foreach (var name in start.Environment.Keys.Where(IsOurs).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        start.Environment["FuncSecrets__Urls"] = endpoint.GetLeftPart(UriPartial.Authority);
        var startedAt = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var service = new ServiceProcess(process, endpoint, startedAt);
        process.OutputDataReceived += (_, e) => service.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => service.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>
    /// Sends <c>GET /</c> (the unsigned readiness ping the Functions host sends a custom handler)
    /// every millisecond until it is answered 200; returns the time since just before the start.
    /// </summary>
    public Task<TimeSpan> WaitForReadyAsync(TimeSpan timeout) =>
        PollAsync(() => new HttpRequestMessage(HttpMethod.Get, Endpoint), timeout);

    /// <summary>
    /// Sends <paramref name="call"/> every millisecond until it is answered 200; returns the time
    /// from just before the process started to that answer.
    /// </summary>
    public Task<TimeSpan> WaitForFirstAnswerAsync(SignedCall call, TimeSpan timeout) =>
        PollAsync(() => call.ToRequest(Endpoint), timeout);

    private async Task<TimeSpan> PollAsync(Func<HttpRequestMessage> makeRequest, TimeSpan timeout)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(2) })
        {
            Timeout = TimeSpan.FromSeconds(10),
        };
        while (Stopwatch.GetElapsedTime(StartedAt) < timeout)
        {
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode}:\n{Tail()}");
            }

            try
            {
                using var request = makeRequest();
                using var response = await http.SendAsync(request);
                if ((int)response.StatusCode == 200)
                {
                    return Stopwatch.GetElapsedTime(StartedAt);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(1);
        }

        throw new TimeoutException($"The service did not answer within {timeout.TotalSeconds} s:\n{Tail()}");
    }

    /// <summary>Resident set size in MiB (VmRSS from /proc).</summary>
    public double ResidentMegabytes() => ReadRss(_process.Id);

    public static double ReadRss(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException)
        {
            // The process is gone.
        }

        return double.NaN;
    }

    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static bool IsOurs(string name) =>
        name.StartsWith("FuncSecrets", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("FUNCTIONS_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase);

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }
}

/// <summary>Samples a process's RSS in the background and keeps the peak.</summary>
public sealed class RssSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private double _peak;

    public RssSampler(int pid)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var rss = ServiceProcess.ReadRss(pid);
                if (rss > _peak)
                {
                    _peak = rss;
                }

                try
                {
                    await Task.Delay(200, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public double PeakMegabytes => _peak;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
