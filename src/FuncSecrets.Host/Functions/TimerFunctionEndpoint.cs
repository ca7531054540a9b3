using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Jobs;
using FuncSecrets.Host.Hosting;
using FuncSecrets.Host.Protocol;

namespace FuncSecrets.Host.Functions;

/// <summary>
/// Answers the Functions host's timer invocations. For a non-HTTP trigger the host POSTs
/// <c>{"Data":{...},"Metadata":{...}}</c> to <c>/{FunctionName}</c> and expects
/// <c>{"Outputs":{},"Logs":[...],"ReturnValue":null}</c>; any non-2xx status marks the run
/// failed (azure-functions-host <c>DefaultHttpWorkerService.ProcessDefaultInvocationRequest</c>
/// calls <c>EnsureSuccessStatusCode</c>). Each timer runs the <see cref="IScheduledJob"/> of the
/// same name; a timer with no job registered (rotation not built in) succeeds and says so.
/// </summary>
public sealed class TimerFunctionEndpoint
{
    /// <summary>The invocation id header the Functions host puts on every call to the handler.</summary>
    public const string InvocationIdHeader = "X-Azure-Functions-InvocationId";

    // A timer payload is a few hundred bytes; anything near this is not from the host.
    private const int MaxPayloadBytes = 64 * 1024;

    // The SecretsApi catch-all route also matches "/PurgeDeletedSecrets", so an outside caller's
    // request can arrive on the same path. Such a request always carries one of these: the
    // proxying mode (YARP) sets X-Forwarded-For/-Host, and App Service's front end stamps
    // X-ARR-LOG-ID on every external request (azure-functions-host IsAppServiceInternalRequest).
    // The host's own timer invocations carry none of them.
    private static readonly string[] RelayedRequestHeaders = ["X-Forwarded-For", "X-Forwarded-Host", "X-ARR-LOG-ID"];

    private readonly IServiceProvider _services;
    private readonly bool _enabled;
    private readonly ILogger<TimerFunctionEndpoint> _logger;

    public TimerFunctionEndpoint(IServiceProvider services, IConfiguration configuration, ILogger<TimerFunctionEndpoint> logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        _services = services;

        // Read when first built, not at registration, so configuration added late still counts.
        _enabled = HostingMode.Detect(configuration).IsFunctionsHost;
        _logger = logger;
    }

    /// <summary>
    /// True for a timer invocation from the Functions host: Functions mode, <c>POST /{timer}</c>,
    /// and nothing showing the request was relayed from outside. Standalone, the jobs run
    /// in-process and these paths are ordinary (unknown) requests.
    /// </summary>
    public bool Accepts(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (!_enabled || !HttpMethods.IsPost(request.Method) || TimerName(request.Path) is null)
        {
            return false;
        }

        foreach (var header in RelayedRequestHeaders)
        {
            if (request.Headers.ContainsKey(header))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Runs the timer's job once and writes the invocation result.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var name = TimerName(context.Request.Path) ?? throw new InvalidOperationException("Not a timer invocation.");
        var invocationId = context.Request.Headers[InvocationIdHeader].ToString();
        if (invocationId.Length == 0)
        {
            invocationId = "-";
        }

        bool? pastDue;
        try
        {
            pastDue = ReadPastDue(await BodyReader.ReadAsync(context, MaxPayloadBytes));
        }
        catch (AwsException)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"{name}: the invocation payload is larger than {MaxPayloadBytes} bytes.");
            return;
        }

        Log.TimerInvoked(_logger, name, invocationId, pastDue ?? false);

        // Resolved per invocation, not when the endpoint is built: the Dispatcher builds it on the
        // first request, a readiness ping included, which must not wait for storage. The first job
        // registered under the name wins.
        var job = _services.GetServices<IScheduledJob>().FirstOrDefault(j => string.Equals(j.Name, name, StringComparison.Ordinal));
        if (job is null)
        {
            Log.JobNotConfigured(_logger, name);
            await WriteAsync(context, StatusCodes.Status200OK, $"{name}: not configured in this deployment; nothing to do.");
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await job.RunOnceAsync(context.RequestAborted);
            var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            Log.JobFinished(_logger, name, result.Processed, elapsed);
            await WriteAsync(context, StatusCodes.Status200OK, string.Create(CultureInfo.InvariantCulture,
                $"{name}: examined {result.Examined}, processed {result.Processed} in {elapsed} ms."));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The host gave up (function timeout) or is shutting down: nobody is left to answer.
            // The job is idempotent; the next tick finishes what this one started.
            Log.TimerAbandoned(_logger, name, invocationId);
        }
        catch (Exception error)
        {
            // The details go to this app's log (the host captures its output); the invocation
            // log gets only the exception type, which cannot carry a secret value.
            Log.JobFailed(_logger, error, name);
            await WriteAsync(context, StatusCodes.Status500InternalServerError,
                $"{name} failed ({error.GetType().Name}); see the FuncSecrets log for invocation {invocationId}.");
        }
    }

    /// <summary>The timer function a path names (<c>/PurgeDeletedSecrets</c>), or null.</summary>
    public static string? TimerName(PathString path)
    {
        var value = path.Value;
        if (value is null || value.Length < 2 || value[0] != '/')
        {
            return null;
        }

        var name = value[1..];
        foreach (var timer in FunctionNames.Timers)
        {
            if (string.Equals(timer, name, StringComparison.Ordinal))
            {
                return timer;
            }
        }

        return null;
    }

    /// <summary>
    /// <c>IsPastDue</c> of the timer input (<c>Data.{binding}.IsPastDue</c>), for the log only: the
    /// payload's shape is the host's, so anything unexpected is ignored rather than refused.
    /// </summary>
    public static bool? ReadPastDue(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("Data", out var data)
                || data.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var binding in data.EnumerateObject())
            {
                if (binding.Value.ValueKind == JsonValueKind.Object
                    && binding.Value.TryGetProperty("IsPastDue", out var pastDue)
                    && pastDue.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    return pastDue.GetBoolean();
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string log)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new InvocationResult { Logs = [log] }, FunctionsJsonContext.Default.InvocationResult);
        var response = context.Response;
        response.StatusCode = status;

        // The host reads the answer with a JSON media-type formatter: the content type matters.
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }
}
