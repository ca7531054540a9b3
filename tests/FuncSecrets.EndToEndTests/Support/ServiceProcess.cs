using System.Diagnostics;
using System.Text;

namespace FuncSecrets.EndToEndTests.Support;

/// <summary>
/// The real standalone server as a separate process (<c>dotnet FuncSecrets.Server.dll</c>), configured
/// only through environment variables, as Azure app settings would configure it. Everything it
/// writes to stdout and stderr is kept (and mirrored to a file beside the test binaries), so the
/// no-leak tests can search it. Killed by its own PID on dispose.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly StreamWriter _logFile;

    private ServiceProcess(Process process, Uri endpoint, string logPath)
    {
        _process = process;
        Endpoint = endpoint;
        LogPath = logPath;
        _logFile = new StreamWriter(logPath, append: false) { AutoFlush = true };
    }

    /// <summary>The service's base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>A copy of the captured output on disk, for a human reading a failed run.</summary>
    public string LogPath { get; }

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
    /// Starts the host on a free 127.0.0.1 port with <paramref name="settings"/> as environment
    /// variables and waits until <c>GET /</c> answers 200. A port taken between choosing and binding
    /// makes the process exit; that is retried on another port. Throws (never skips) otherwise.
    /// </summary>
    public static async Task<ServiceProcess> StartAsync(IReadOnlyDictionary<string, string> settings, string logPath)
    {
        var hostDll = LocateHostDll();
        var failures = new StringBuilder();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var port = FuncSecrets.IntegrationTests.Support.AzuriteFixture.FreePort();
            var endpoint = new Uri($"http://127.0.0.1:{port}/");
            var service = Launch(hostDll, endpoint, settings, logPath);
            if (await service.WaitUntilReadyAsync())
            {
                return service;
            }

            failures.AppendLine($"attempt {attempt} on port {port}:").AppendLine(service.Log);
            await service.DisposeAsync();
        }

        throw new InvalidOperationException($"FuncSecrets.Server ({hostDll}) did not become ready:\n{failures}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped: nothing to stop.
        }

        _process.Dispose();
        lock (_log)
        {
            _logFile.Dispose();
        }
    }

    /// <summary>
    /// The server as built for this test run: the project reference copies FuncSecrets.Server.dll
    /// with its runtimeconfig.json and deps.json into this project's output.
    /// </summary>
    private static string LocateHostDll()
    {
        var local = typeof(FuncSecrets.Server.AppFactory).Assembly.Location;
        return File.Exists(Path.ChangeExtension(local, ".runtimeconfig.json"))
            ? local
            : throw new InvalidOperationException($"{local} has no runtimeconfig.json beside it: build the test project.");
    }

    private static ServiceProcess Launch(string hostDll, Uri endpoint, IReadOnlyDictionary<string, string> settings, string logPath)
    {
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(hostDll);

        // Nothing from the developer's shell may configure the host behind the test's back.
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

        start.Environment["FuncSecrets__Urls"] = endpoint.GetLeftPart(UriPartial.Authority);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var service = new ServiceProcess(process, endpoint, logPath);
        process.OutputDataReceived += (_, e) => service.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => service.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>The dotnet host running these tests (set by the SDK), else the one on PATH.</summary>
    private static string DotnetExecutable() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

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
            await Task.Delay(100);
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
                _logFile.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output arriving after dispose: the in-memory copy is enough.
            }
        }
    }
}
