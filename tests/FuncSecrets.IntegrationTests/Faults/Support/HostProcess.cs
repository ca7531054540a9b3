using System.Diagnostics;
using System.Text;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Faults.Support;

/// <summary>
/// The real standalone server as a separate process (<c>dotnet FuncSecrets.Server.dll</c> from this
/// test project's output), configured by environment variables only, on a free 127.0.0.1 port.
/// Its whole output is kept for the leak scan. <see cref="KillAsync"/> is SIGKILL (kill -9): no
/// shutdown code runs. Disposing kills it too, by its own PID.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private HostProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
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

    public static async Task<HostProcess> StartAsync(IReadOnlyDictionary<string, string> settings)
    {
        // The project reference copies the server with its runtimeconfig.json into the test output.
        var hostDll = typeof(FuncSecrets.Server.AppFactory).Assembly.Location;
        if (!File.Exists(Path.ChangeExtension(hostDll, ".runtimeconfig.json")))
        {
            throw new InvalidOperationException($"{hostDll} (with its runtimeconfig.json) is not in the test output: build the test project.");
        }

        var failures = new StringBuilder();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var host = Launch(hostDll, AzuriteFixture.FreePort(), settings);
            if (await host.WaitUntilReadyAsync())
            {
                return host;
            }

            // A port taken between choosing and binding makes the host exit: try another.
            failures.AppendLine($"attempt {attempt}:").AppendLine(host.Log);
            await host.DisposeAsync();
        }

        throw new InvalidOperationException($"FuncSecrets.Server did not become ready:\n{failures}");
    }

    /// <summary>kill -9: the process gets no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
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
            // Already reaped.
        }

        _process.Dispose();
    }

    private static HostProcess Launch(string hostDll, int port, IReadOnlyDictionary<string, string> settings)
    {
        var start = StartInfo(hostDll, settings);
        var endpoint = new Uri($"http://127.0.0.1:{port}/");
        start.Environment["FuncSecrets__Urls"] = endpoint.GetLeftPart(UriPartial.Authority);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var host = new HostProcess(process, endpoint);
        process.OutputDataReceived += (_, e) => host.Capture(e.Data);
        process.ErrorDataReceived += (_, e) => host.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>
    /// <c>dotnet FuncSecrets.Server.dll [arguments]</c> with exactly <paramref name="settings"/> as
    /// its FuncSecrets/ASP.NET Core/Functions environment (inherited ones are removed).
    /// </summary>
    public static ProcessStartInfo StartInfo(string hostDll, IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetExecutable())
        {
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(hostDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("FuncSecrets", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("FUNCTIONS_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase))
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
                await _process.WaitForExitAsync();
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
                // Listening, not answering yet.
            }

            // Polling an external process, not a clock the test controls.
            await Task.Delay(50);
        }

        return false;
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
