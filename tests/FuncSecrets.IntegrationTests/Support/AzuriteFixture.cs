using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FuncSecrets.IntegrationTests.Support;

/// <summary>
/// One Azurite Table service for the whole test run. Uses the connection string in
/// <c>FUNCSECRETS_TEST_STORAGE</c> when set; otherwise starts the repository's pinned
/// <c>node_modules/.bin/azurite-table</c> in memory on a free 127.0.0.1 port and kills it on
/// dispose. A fixture that cannot get a server fails: integration tests never skip.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "FUNCSECRETS_TEST_STORAGE";

    /// <summary>Azurite's well-known development account key (public).</summary>
    public const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _workspace;

    /// <summary>A SharedKey connection string for the running Table service.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>
    /// A table name unique to this run and caller (Table names: letters and digits, 3-63, starting
    /// with a letter), so test classes sharing the one Azurite never see each other's rows.
    /// </summary>
    public static string UniqueTableName(string prefix)
    {
        // "t" + at most 20 + 32 characters: always within the 63-character limit.
        var letters = new string(prefix.Where(char.IsAsciiLetterOrDigit).Take(20).ToArray());
        return $"t{letters}{Guid.NewGuid():N}";
    }

    public async Task InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            ConnectionString = configured;
            return;
        }

        var root = FindRepositoryRoot();
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite-table");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}: run `npm install` in {root}, or set {EnvironmentVariable}.");
        }

        var port = FreePort();
        // In-memory persistence writes no database, but Azurite may still drop files in its
        // working directory: give it a temporary one.
        _workspace = Directory.CreateTempSubdirectory("funcsecrets-azurite-").FullName;
        var start = new ProcessStartInfo(azurite)
        {
            WorkingDirectory = _workspace,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--tableHost", "127.0.0.1", "--tablePort", port.ToString(),
            "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        _process.OutputDataReceived += (_, e) => Capture(e.Data);
        _process.ErrorDataReceived += (_, e) => Capture(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        await WaitForPortAsync(port);
        ConnectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        if (_workspace is not null)
        {
            try
            {
                Directory.Delete(_workspace, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    /// <summary>Walks up from the test binaries to the folder holding FuncSecrets.sln.</summary>
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

    private async Task WaitForPortAsync(int port)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < StartTimeout)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {_process.ExitCode}:\n{Output()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet: poll again shortly (waiting on an external process, not a clock).
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"Azurite did not listen on 127.0.0.1:{port} within {StartTimeout.TotalSeconds} s:\n{Output()}");
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
