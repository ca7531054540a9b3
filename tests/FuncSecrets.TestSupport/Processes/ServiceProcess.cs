using System.Diagnostics;
using System.Text;
using FuncSecrets.TestSupport.Azurite;

namespace FuncSecrets.TestSupport.Processes;

/// <summary>
/// The real standalone server as a separate process (<c>dotnet FuncSecrets.Server.dll</c>),
/// configured only through environment variables, as Azure app settings would configure it, on a
/// free 127.0.0.1 port. Everything it writes to stdout and stderr is kept (and, given a log path,
/// mirrored to a file), so no-leak tests can search it. <see cref="KillAsync"/> is SIGKILL
/// (kill -9): no shutdown code runs. Disposing kills it too, by its own PID.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly StreamWriter? _logFile;

    private ServiceProcess(Process process, Uri endpoint, string? logPath)
    {
        _process = process;
        Endpoint = endpoint;
        LogPath = logPath;
        _logFile = logPath is null ? null : new StreamWriter(logPath, append: false) { AutoFlush = true };
    }

    /// <summary>The service's base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>A copy of the captured output on disk, for a human reading a failed run (null when not kept).</summary>
    public string? LogPath { get; }

    /// <summary>Everything the process has written so far (stdout and stderr, interleaved).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="serverDll"/> (built with its runtimeconfig.json beside it, as a
    /// project reference copies it into a test's output) on a free 127.0.0.1 port with
    /// <paramref name="settings"/> as environment variables, and waits until <c>GET /</c> answers
    /// 200. A port taken between choosing and binding makes the process exit; that is retried on
    /// another port. Throws (never skips) otherwise.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(string serverDll, IReadOnlyDictionary<string, string> settings, string? logPath = null)
    {
        if (!File.Exists(Path.ChangeExtension(serverDll, ".runtimeconfig.json")))
        {
            throw new InvalidOperationException($"{serverDll} has no runtimeconfig.json beside it: build the test project.");
        }

        var failures = new StringBuilder();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var port = AzuriteServer.FreePort();
            var service = Launch(serverDll, new Uri($"http://127.0.0.1:{port}/"), settings, logPath);
            if (await service.WaitUntilReadyAsync())
            {
                return service;
            }

            failures.AppendLine($"attempt {attempt} on port {port}:").AppendLine(service.Log);
            await service.DisposeAsync();
        }

        throw new InvalidOperationException($"{Path.GetFileName(serverDll)} ({serverDll}) did not become ready:\n{failures}");
    }

    /// <summary>
    /// <c>dotnet {dll} [arguments]</c> with exactly <paramref name="settings"/> as its FuncSecrets,
    /// ASP.NET Core, Functions and logging environment: inherited ones are removed, so nothing
    /// from the developer's shell configures the process behind the test's back.
    /// </summary>
    public static ProcessStartInfo StartInfo(string dll, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("FuncSecrets", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("FUNCTIONS_", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase))
            {
                start.Environment.Remove(name);
            }
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>kill -9: the process gets no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped: nothing to stop.
        }

        _process.Dispose();
        lock (_log)
        {
            _logFile?.Dispose();
        }
    }

    /// <summary>The dotnet host running these tests (set by the SDK), else the one on PATH.</summary>
    private static string DotnetExecutable() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    private static ServiceProcess Launch(string serverDll, Uri endpoint, IReadOnlyDictionary<string, string> settings, string? logPath)
    {
        var start = StartInfo(serverDll, settings);
        start.Environment["FuncSecrets__Urls"] = endpoint.GetLeftPart(UriPartial.Authority);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var service = new ServiceProcess(process, endpoint, logPath);
        process.OutputDataReceived += (_, e) => service.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => service.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    private async Task<bool> WaitUntilReadyAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                // Let the output readers drain, so the failure shows why it exited.
                await _process.WaitForExitAsync();
                Capture($"[process exited with code {_process.ExitCode}]");
                return false;
            }

            try
            {
                using var response = await http.GetAsync(Endpoint);
                if ((int)response.StatusCode == 200)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Listening but not answering yet.
            }

            // Polling an external process, not waiting on a clock the test controls.
            await Task.Delay(50);
        }

        Capture($"[not ready after {ReadyTimeout.TotalSeconds} s]");
        return false;
    }

    private void Capture(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
            try
            {
                _logFile?.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output arriving after dispose: the in-memory copy is enough.
            }
        }
    }
}
