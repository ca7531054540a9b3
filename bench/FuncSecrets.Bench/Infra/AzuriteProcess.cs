using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FuncSecrets.TestSupport.Azurite;

namespace FuncSecrets.Bench.Infra;

/// <summary>
/// The repository's pinned Azurite Table service, in memory, on a free 127.0.0.1 port: the one
/// starter the tests use too (<see cref="AzuriteServer"/>), under the bench's names.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account (public values).</summary>
    public const string AccountName = AzuriteServer.AccountName;

    public const string AccountKey = AzuriteServer.DevelopmentAccountKey;

    private readonly AzuriteServer _server;

    private AzuriteProcess(AzuriteServer server) => _server = server;

    public int Port => _server.Port;

    public int ProcessId => _server.ProcessId;

    /// <summary>The Table endpoint, path-style as Azurite serves it.</summary>
    public Uri TableEndpoint => _server.TableEndpoint;

    public string ConnectionString => _server.ConnectionString;

    public static async Task<AzuriteProcess> StartAsync() => new(await AzuriteServer.StartAsync());

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>Loopback port helpers.</summary>
public static class Ports
{
    /// <summary>A port nothing listens on: bind 127.0.0.1:0, read the port, release it.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static async Task WaitForListenerAsync(int port, TimeSpan timeout, Func<bool> exited)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < timeout)
        {
            if (exited())
            {
                throw new InvalidOperationException($"The process meant to listen on 127.0.0.1:{port} exited.");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"Nothing listened on 127.0.0.1:{port} within {timeout.TotalSeconds} s.");
    }
}
