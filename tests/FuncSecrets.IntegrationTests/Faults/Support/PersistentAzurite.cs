using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Faults.Support;

/// <summary>
/// An Azurite Table service of a scenario's own, persisting to a temporary folder (not in memory)
/// on a fixed port, so it can be stopped (SIGINT: Azurite saves its database and exits), hung
/// (SIGSTOP: the port still accepts connections, nothing answers) and brought back with its data.
/// </summary>
public sealed class PersistentAzurite : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _executable;
    private readonly string _location;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private PersistentAzurite(string executable, string location, int port)
    {
        _executable = executable;
        _location = location;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteFixture.DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    public static async Task<PersistentAzurite> StartAsync()
    {
        var executable = Path.Combine(AzuriteFixture.FindRepositoryRoot(), "node_modules", ".bin", "azurite-table");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run scripts/setup.sh.");
        }

        var azurite = new PersistentAzurite(executable, Directory.CreateTempSubdirectory("funcsecrets-faults-azurite-").FullName, AzuriteFixture.FreePort());
        await azurite.StartAgainAsync();
        return azurite;
    }

    /// <summary>Starts Azurite (again) on the same port and folder and waits until it listens.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            WorkingDirectory = _location,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(), "--location", _location,
            "--skipApiVersionCheck", "--loose", "--disableTelemetry",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < StartTimeout)
        {
            Assert.False(_process.HasExited, $"Azurite exited:\n{Output()}");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                // Polling an external process.
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"Azurite did not listen on {Port}:\n{Output()}");
    }

    /// <summary>
    /// Stops Azurite as an operator would (SIGINT: it closes its server and saves its database),
    /// and waits until it has exited; SIGKILL after 15 s.
    /// </summary>
    public async Task StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("Azurite is not running.");
        await SignalAsync(process.Id, "INT");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>SIGSTOP: the kernel still accepts connections on the port, but nothing answers.</summary>
    public Task PauseAsync() => SignalAsync(_process!.Id, "STOP");

    /// <summary>SIGCONT: Azurite carries on where it was frozen.</summary>
    public Task ResumeAsync() => SignalAsync(_process!.Id, "CONT");

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            await SignalAsync(process.Id, "CONT");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    private void Capture(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
