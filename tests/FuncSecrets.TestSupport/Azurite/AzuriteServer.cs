using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FuncSecrets.TestSupport.Azurite;

/// <summary>
/// The repository's pinned Azurite (<c>node_modules/.bin/azurite</c>: Table and Blob services) on
/// free 127.0.0.1 ports, in a temporary working folder: in memory, or persisting to that folder so
/// it can be stopped (SIGINT: Azurite saves its database and exits), frozen (SIGSTOP: the port
/// still accepts connections, nothing answers) and brought back with its data. Signals go to the
/// PID of the process this class started, never by name.
/// </summary>
public sealed class AzuriteServer : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account (public values).</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (public).</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _executable;
    private readonly string _workspace;
    private readonly bool _persistent;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private AzuriteServer(string executable, string workspace, int port, int blobPort, bool persistent)
    {
        _executable = executable;
        _workspace = workspace;
        Port = port;
        BlobPort = blobPort;
        _persistent = persistent;
    }

    /// <summary>The Table service's port.</summary>
    public int Port { get; }

    /// <summary>The Blob service's port (the audit trail's CloudTrail-format files).</summary>
    public int BlobPort { get; }

    /// <summary>The Blob endpoint, path-style as Azurite serves it.</summary>
    public Uri BlobEndpoint => new($"http://127.0.0.1:{BlobPort}/{AccountName}");

    /// <summary>The PID of the running Azurite (the one signals go to).</summary>
    public int ProcessId => (_process ?? throw new InvalidOperationException("Azurite is not running.")).Id;

    /// <summary>The Table endpoint, path-style as Azurite serves it.</summary>
    public Uri TableEndpoint => new($"http://127.0.0.1:{Port}/{AccountName}");

    /// <summary>An account-key connection string for the running Table and Blob services.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={DevelopmentAccountKey};TableEndpoint={TableEndpoint};BlobEndpoint={BlobEndpoint};";

    /// <summary>Starts Azurite and waits until it listens.</summary>
    /// <param name="persistent">Keep data on disk (survives <see cref="StopAsync"/>) instead of in memory.</param>
    public static async Task<AzuriteServer> StartAsync(bool persistent = false)
    {
        var root = FindRepositoryRoot();
        var executable = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Azurite is not installed at {executable}: run scripts/setup.sh (npm ci) in {root}.");
        }

        var workspace = Directory.CreateTempSubdirectory("funcsecrets-azurite-").FullName;
        var server = new AzuriteServer(executable, workspace, FreePort(), FreePort(), persistent);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Walks up from the running binaries to the folder holding FuncSecrets.sln.</summary>
    public static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FuncSecrets.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No FuncSecrets.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>A port nothing listens on: bind 127.0.0.1:0, read the port, release it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts Azurite (again) on the same port and folder and waits until it listens.</summary>
    public async Task StartAgainAsync()
    {
        var start = new ProcessStartInfo(_executable)
        {
            // In memory, Azurite may still drop files in its working directory: a temporary one.
            WorkingDirectory = _workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            "--tableHost", "127.0.0.1", "--tablePort", Port.ToString(CultureInfo.InvariantCulture),
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", FreePort().ToString(CultureInfo.InvariantCulture),
            .. _persistent ? new[] { "--location", _workspace } : ["--inMemoryPersistence"],
            "--skipApiVersionCheck", "--loose", "--disableTelemetry",
        ];
        foreach (var argument in arguments)
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
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}:\n{Output()}");
            }

            try
            {
                using var table = new TcpClient();
                await table.ConnectAsync(IPAddress.Loopback, Port);
                using var blob = new TcpClient();
                await blob.ConnectAsync(IPAddress.Loopback, BlobPort);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet: poll again shortly (waiting on an external process, not a clock).
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{Port} within {StartTimeout.TotalSeconds} s:\n{Output()}");
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
    public Task PauseAsync() => SignalAsync(ProcessId, "STOP");

    /// <summary>SIGCONT: Azurite carries on where it was frozen.</summary>
    public Task ResumeAsync() => SignalAsync(ProcessId, "CONT");

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            // A frozen process cannot die of SIGKILL's cleanup until it runs again.
            await SignalAsync(process.Id, "CONT");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_workspace, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }

    /// <summary>What Azurite printed so far (for failure messages).</summary>
    public string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private static async Task SignalAsync(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false })
            ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} failed with exit code {kill.ExitCode}.");
        }
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
}
