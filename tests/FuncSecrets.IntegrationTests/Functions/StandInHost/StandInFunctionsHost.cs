using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using FuncSecrets.IntegrationTests.Functions.StandInHost.Rpc;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.IntegrationTests.Functions.StandInHost;

/// <summary>
/// Plays the Azure Functions host towards the BUILT isolated worker, over the worker's public gRPC
/// protocol. What the real host does, and where it was read (azure-functions-host, 2024-10):
/// <list type="number">
/// <item>It starts <c>dotnet FuncSecrets.Functions.dll</c> (worker.config.json's executable and
/// worker path) in the app directory with the arguments of <c>RpcWorkerContext.GetFormattedArguments</c>
/// (old and new style both), its own environment (the app settings) plus
/// <c>FUNCTIONS_WORKER_DIRECTORY</c> and <c>FUNCTIONS_APPLICATION_DIRECTORY</c> (<c>RpcWorkerProcess</c>).</item>
/// <item>The worker dials back and sends <c>StartStream</c>; the host answers <c>WorkerInitRequest</c>
/// and reads the worker's capabilities from <c>WorkerInitResponse</c>: <c>HttpUri</c> means the
/// worker wants HTTP requests proxied to its own Kestrel (<c>GrpcWorkerChannel.ApplyCapabilities</c>).</item>
/// <item>Worker indexing: <c>FunctionsMetadataRequest</c> → the worker's metadata, then one
/// <c>FunctionLoadRequest</c> per function (<c>GrpcWorkerChannel.SendFunctionLoadRequests</c>).</item>
/// <item>An invocation is an <c>InvocationRequest</c>; for a proxied HTTP trigger the host first
/// starts forwarding the request to <c>HttpUri</c> with YARP's default transforms (Host dropped,
/// X-Forwarded-For/-Proto/-Host added, path and query re-sent) plus <c>x-ms-invocation-id</c>
/// (<c>DefaultHttpProxyService.StartForwarding</c>), and sends an empty <c>RpcHttp</c> as the
/// trigger input (<c>GrpcMessageConversionExtensions.ToRpcHttp</c>).</item>
/// </list>
/// Guessed rather than read: the host's version string, the timer input's JSON (the host's
/// TimerInfo as it serializes it), the echo of the worker's metadata as the load request (the host
/// rebuilds it from its own FunctionMetadata), the X-Forwarded-* values YARP's default transforms
/// write (from YARP's documentation, not from a run; the tests add them), and that nothing else
/// (status pings, the MultiStream and other capabilities the real host advertises, environment
/// reload, warm-up) is needed for these calls. docs/functions.md lists the same.
/// </summary>
public sealed class StandInFunctionsHost : IAsyncDisposable
{
    public const string CorrelationHeader = "x-ms-invocation-id";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly WebApplication _grpcServer;
    private readonly WorkerStream _stream;
    private readonly Process _worker;
    private readonly StringBuilder _workerOutput;
    private readonly Dictionary<string, string> _functionIds = new(StringComparer.Ordinal);
    private readonly List<(string Step, long At)> _milestones = [];

    private StandInFunctionsHost(WebApplication grpcServer, WorkerStream stream, Process worker, StringBuilder workerOutput, long workerStartedAt)
    {
        _grpcServer = grpcServer;
        _stream = stream;
        _worker = worker;
        _workerOutput = workerOutput;
        WorkerStartedAt = workerStartedAt;
    }

    /// <summary>
    /// The <see cref="Stopwatch"/> timestamp taken just before the worker process was started (the
    /// benchmark's start-up phase times the worker from there, issue 15).
    /// </summary>
    public long WorkerStartedAt { get; }

    /// <summary>
    /// When each step of the worker's start was done, as <see cref="Stopwatch"/> timestamps:
    /// <c>StartStream</c> received, <c>WorkerInitResponse</c>, <c>FunctionMetadataResponse</c>,
    /// the last <c>FunctionLoadResponse</c> (the benchmark splits the worker's start with them, issue 15).
    /// </summary>
    public IReadOnlyList<(string Step, long At)> Milestones => _milestones;

    /// <summary>The worker's process id.</summary>
    public int WorkerProcessId => _worker.Id;

    /// <summary>The worker's ASP.NET Core endpoint, from its <c>HttpUri</c> capability.</summary>
    public Uri HttpUri { get; private set; } = null!;

    /// <summary>The worker's capabilities as it announced them.</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; private set; } = null!;

    /// <summary>The function metadata the worker answered the metadata request with.</summary>
    public IReadOnlyList<RpcFunctionMetadata> Functions { get; private set; } = [];

    /// <summary>Everything the worker logged over the stream (<c>RpcLog</c>) and wrote to stdout/stderr.</summary>
    public string Log
    {
        get
        {
            lock (_workerOutput)
            {
                return string.Join('\n', _stream.Logs.Select(l => $"[{l.Level}] {l.Category}: {l.Message}")) + "\n--- console ---\n" + _workerOutput;
            }
        }
    }

    public IReadOnlyCollection<RpcLog> RpcLogs => _stream.Logs;

    /// <summary>Starts the gRPC endpoint, the worker process, and takes the worker through start-up and function loading.</summary>
    public static async Task<StandInFunctionsHost> StartAsync(string workerDirectory, string workerAssembly, IReadOnlyDictionary<string, string> appSettings)
    {
        var stream = new WorkerStream();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = null);
        builder.Services.AddSingleton(stream);
        var server = builder.Build();
        server.MapGrpcService<FunctionRpcService>();
        await server.StartAsync();
        var grpcUri = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

        var workerId = Guid.NewGuid().ToString();
        var requestId = Guid.NewGuid().ToString();
        var output = new StringBuilder();
        var startedAt = Stopwatch.GetTimestamp();
        var worker = StartWorker(workerDirectory, workerAssembly, grpcUri, workerId, requestId, appSettings, output);
        var host = new StandInFunctionsHost(server, stream, worker, output, startedAt);
        try
        {
            await host.HandshakeAsync(workerId, workerDirectory);
            return host;
        }
        catch (Exception error)
        {
            var log = host.Log;
            await host.DisposeAsync();
            throw new InvalidOperationException($"The worker did not start under the stand-in host: {error.Message}\n{log}", error);
        }
    }

    private static Process StartWorker(string directory, string assembly, Uri grpcUri, string workerId, string requestId, IReadOnlyDictionary<string, string> appSettings, StringBuilder output)
    {
        const int maxMessageLength = int.MaxValue;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // RpcWorkerContext.GetFormattedArguments: both the old switches and the ones the worker reads today.
        string[] arguments =
        [
            Path.Combine(directory, assembly),
            "--host", grpcUri.Host, "--port", grpcUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId,
            "--grpcMaxMessageLength", maxMessageLength.ToString(CultureInfo.InvariantCulture),
            "--functions-uri", grpcUri.AbsoluteUri,
            "--functions-worker-id", workerId, "--functions-request-id", requestId,
            "--functions-grpc-max-message-length", maxMessageLength.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in appSettings)
        {
            start.Environment[name] = value;
        }

        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = directory;
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = directory;

        // The test runner's own settings must not leak into the worker's configuration.
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private async Task HandshakeAsync(string workerId, string directory)
    {
        var started = await _stream.NextAsync(StreamingMessage.ContentOneofCase.StartStream, Patience, _worker);
        Assert.Equal(workerId, started.StartStream.WorkerId);
        _milestones.Add(("StartStream", Stopwatch.GetTimestamp()));

        var init = new WorkerInitRequest { HostVersion = "4.1040.0.0", WorkerDirectory = directory, FunctionAppDirectory = directory };
        await _stream.SendAsync(new StreamingMessage { WorkerInitRequest = init });
        var initResponse = (await _stream.NextAsync(StreamingMessage.ContentOneofCase.WorkerInitResponse, Patience, _worker)).WorkerInitResponse;
        EnsureSuccess(initResponse.Result, "WorkerInitRequest");
        Capabilities = new Dictionary<string, string>(initResponse.Capabilities);
        HttpUri = new Uri(initResponse.Capabilities["HttpUri"]);
        _milestones.Add(("WorkerInitResponse", Stopwatch.GetTimestamp()));

        await _stream.SendAsync(new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = directory } });
        var metadata = (await _stream.NextAsync(StreamingMessage.ContentOneofCase.FunctionMetadataResponse, Patience, _worker)).FunctionMetadataResponse;
        EnsureSuccess(metadata.Result, "FunctionsMetadataRequest");
        Assert.False(metadata.UseDefaultMetadataIndexing);
        Functions = metadata.FunctionMetadataResults.ToList();
        _milestones.Add(("FunctionMetadataResponse", Stopwatch.GetTimestamp()));

        foreach (var function in Functions)
        {
            _functionIds[function.Name] = function.FunctionId;
            await _stream.SendAsync(new StreamingMessage { FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function } });
            var loaded = (await _stream.NextAsync(StreamingMessage.ContentOneofCase.FunctionLoadResponse, Patience, _worker)).FunctionLoadResponse;
            Assert.Equal(function.FunctionId, loaded.FunctionId);
            EnsureSuccess(loaded.Result, $"FunctionLoadRequest {function.Name}");
        }

        _milestones.Add(("FunctionLoadResponse (all)", Stopwatch.GetTimestamp()));
    }

    private static void EnsureSuccess(StatusResult result, string step)
    {
        if (result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{step} failed: {result.Exception?.Message} {result.Exception?.StackTrace}");
        }
    }

    /// <summary>Invokes a timer function once, as the host's timer listener does when the schedule fires.</summary>
    public Task<InvocationResponse> InvokeTimerAsync(string function, DateTimeOffset now, bool pastDue = false)
    {
        // Guessed: the host's TimerInfo as JSON (Newtonsoft, the WebJobs extension's member names).
        var json = string.Create(CultureInfo.InvariantCulture,
            $$"""{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"{{now.AddMinutes(-15):O}}","Next":"{{now.AddMinutes(15):O}}","LastUpdated":"{{now.AddMinutes(-15):O}}"},"IsPastDue":{{(pastDue ? "true" : "false")}}}""");
        var invocation = NewInvocation(function);
        invocation.InputData.Add(new ParameterBinding { Name = "timer", Data = new TypedData { Json = json } });
        return InvokeAsync(invocation);
    }

    /// <summary>
    /// An HTTP trigger invocation as the host proxies it: the request goes to the worker's
    /// <c>HttpUri</c> carrying the invocation id, and the <c>InvocationRequest</c> follows on the
    /// stream. Returns both answers.
    /// </summary>
    public async Task<(HttpResponseMessage Http, InvocationResponse Invocation)> InvokeHttpAsync(string function, HttpRequestMessage forwarded)
    {
        ArgumentNullException.ThrowIfNull(forwarded);
        var invocation = NewInvocation(function);
        invocation.InputData.Add(new ParameterBinding { Name = "request", Data = new TypedData { Http = new RpcHttp() } });
        forwarded.Headers.TryAddWithoutValidation(CorrelationHeader, invocation.InvocationId);

        using var client = new HttpClient(new RetryProxyHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })) { Timeout = Patience };
        var http = client.SendAsync(forwarded);
        var answer = await InvokeAsync(invocation);
        return (await http, answer);
    }

    private InvocationRequest NewInvocation(string function) => new()
    {
        InvocationId = Guid.NewGuid().ToString(),
        FunctionId = _functionIds.TryGetValue(function, out var id) ? id : throw new InvalidOperationException($"The worker did not index {function}."),
        TraceContext = new RpcTraceContext { TraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00" },
    };

    private async Task<InvocationResponse> InvokeAsync(InvocationRequest invocation)
    {
        var answer = _stream.ExpectInvocation(invocation.InvocationId);
        await _stream.SendAsync(new StreamingMessage { InvocationRequest = invocation });
        return await answer.WaitAsync(Patience);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_worker.HasExited)
            {
                // The host's polite stop first; the worker stops its application on WorkerTerminate.
                await _stream.TrySendAsync(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(5)) } });
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await _worker.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _worker.Kill(entireProcessTree: true);
                    await _worker.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _worker.Dispose();
            _stream.Complete();
            await _grpcServer.StopAsync();
            await _grpcServer.DisposeAsync();
        }
    }

    /// <summary>
    /// The host retries a proxied request that could not be sent (the worker's Kestrel may start
    /// listening after function loading): 10 attempts, 50 ms doubling up to 250 ms between them
    /// (azure-functions-host <c>RetryProxyHandler</c>).
    /// </summary>
    private sealed class RetryProxyHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var delay = 50;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await base.SendAsync(request, cancellationToken);
                }
                catch (HttpRequestException) when (attempt < 10)
                {
                    await Task.Delay(delay, cancellationToken);
                    delay = Math.Min(delay * 2, 250);
                }
            }
        }
    }

    /// <summary>The one event stream of the worker, as the host's gRPC service sees it.</summary>
    internal sealed class WorkerStream
    {
        private readonly TaskCompletionSource<IServerStreamWriter<StreamingMessage>> _writer = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Channel<StreamingMessage> _control = Channel.CreateUnbounded<StreamingMessage>();
        private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new(StringComparer.Ordinal);
        private readonly SemaphoreSlim _sending = new(1, 1);
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<RpcLog> Logs { get; } = new();

        public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
        {
            if (!_writer.TrySetResult(responses))
            {
                throw new Grpc.Core.RpcException(new Status(StatusCode.AlreadyExists, "one worker stream only"));
            }

            var reading = ReadAsync(requests, cancellationToken);

            // The server stream lives as long as the call: until the worker leaves or the host stops.
            await Task.WhenAny(reading, _closed.Task);
        }

        private async Task ReadAsync(IAsyncStreamReader<StreamingMessage> requests, CancellationToken cancellationToken)
        {
            try
            {
                while (await requests.MoveNext(cancellationToken))
                {
                    var message = requests.Current;
                    switch (message.ContentCase)
                    {
                        case StreamingMessage.ContentOneofCase.RpcLog:
                            Logs.Enqueue(message.RpcLog);
                            break;
                        case StreamingMessage.ContentOneofCase.InvocationResponse:
                            _invocations.GetOrAdd(message.InvocationResponse.InvocationId, _ => NewInvocation()).TrySetResult(message.InvocationResponse);
                            break;
                        default:
                            await _control.Writer.WriteAsync(message, cancellationToken);
                            break;
                    }
                }
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // The worker went away at shutdown.
            }
            catch (IOException)
            {
                // The worker's connection dropped: the tests waiting for answers time out with its log.
            }
        }

        private static TaskCompletionSource<InvocationResponse> NewInvocation() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<InvocationResponse> ExpectInvocation(string invocationId) => _invocations.GetOrAdd(invocationId, _ => NewInvocation()).Task;

        /// <summary>The next start-up message, which must be of the given kind (status pings aside).</summary>
        public async Task<StreamingMessage> NextAsync(StreamingMessage.ContentOneofCase kind, TimeSpan patience, Process worker)
        {
            using var timeout = new CancellationTokenSource(patience);
            while (true)
            {
                var reading = _control.Reader.ReadAsync(timeout.Token).AsTask();
                var exited = worker.WaitForExitAsync(timeout.Token);
                if (await Task.WhenAny(reading, exited) == exited && !reading.IsCompleted)
                {
                    throw new InvalidOperationException($"the worker exited (code {worker.ExitCode}) while the host waited for {kind}");
                }

                var message = await reading;
                if (message.ContentCase == kind)
                {
                    return message;
                }

                if (message.ContentCase != StreamingMessage.ContentOneofCase.WorkerStatusResponse)
                {
                    throw new InvalidOperationException($"expected {kind}, the worker sent {message.ContentCase}");
                }
            }
        }

        public async Task SendAsync(StreamingMessage message)
        {
            var writer = await _writer.Task.WaitAsync(Patience);
            await _sending.WaitAsync();
            try
            {
                await writer.WriteAsync(message);
            }
            finally
            {
                _sending.Release();
            }
        }

        public async Task TrySendAsync(StreamingMessage message)
        {
            if (_writer.Task.IsCompletedSuccessfully)
            {
                try
                {
                    await SendAsync(message);
                }
                catch (InvalidOperationException)
                {
                    // The stream is already closed.
                }
            }
        }

        public void Complete() => _closed.TrySetResult();
    }

    /// <summary>The host's gRPC service: the worker's one call, an event stream in both directions.</summary>
    internal sealed class FunctionRpcService(WorkerStream stream) : FunctionRpc.FunctionRpcBase
    {
        public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
            stream.RunAsync(requestStream, responseStream, context.CancellationToken);
    }
}
