using System.Diagnostics;
using FuncSecrets.Core.Auth;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Services;
using FuncSecrets.Host.Audit;

namespace FuncSecrets.Host.Protocol;

/// <summary>
/// The part of a front door that does not depend on the wire format: the request id, the
/// <see cref="RequestContext"/> handlers see, the answer log line, the audit record, and the
/// classification of failures (an <see cref="AwsException"/> is answered as it is; a vanished
/// caller gets nothing; anything else is a bug, logged with the request id and answered 500
/// <c>InternalServiceError</c> with a fixed message). Both front doors (JSON 1.1 and Query) run
/// through it, so they log, audit and classify failures identically.
/// </summary>
public sealed class FrontDoorCall
{
    private FrontDoorCall(HttpContext http, string requestId, string name)
    {
        Http = http;
        RequestId = requestId;
        Name = name;
    }

    public HttpContext Http { get; }

    public string RequestId { get; }

    /// <summary>The operation name for the log: a known operation's name, never a caller's text.</summary>
    public string Name { get; private set; }

    /// <summary>The operation, once the door knows it (null for an unknown one).</summary>
    public OperationEntry? Operation { get; private set; }

    /// <summary>The authenticated caller, for the audit record.</summary>
    public CallerIdentity? Caller { get; set; }

    /// <summary>The decoded request and the handler's response, for the audit record.</summary>
    public object? Input { get; set; }

    public object? Output { get; set; }

    /// <summary>
    /// Runs <paramref name="answer"/>, which writes the success response and fills in the
    /// operation, caller, input and output; writes errors with <paramref name="writeError"/>;
    /// then logs one line and writes one audit record, whatever the outcome.
    /// </summary>
    public static async Task RunAsync(
        HttpContext http,
        ILogger logger,
        AuditTrail audit,
        string name,
        Func<FrontDoorCall, Task> answer,
        Func<HttpContext, AwsException, Task> writeError)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(writeError);
        var call = new FrontDoorCall(http, RequestIds.Get(http), name);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await answer(call);
            Log.Answered(logger, call.Name, StatusCodes.Status200OK, "OK", ElapsedMs(started), call.RequestId);
            await audit.RecordAsync(http, call.RequestId, call.Operation, call.Caller, call.Input, call.Output, null);
        }
        catch (AwsException error)
        {
            Log.Answered(logger, call.Name, error.StatusCode, error.Code, ElapsedMs(started), call.RequestId);
            await writeError(http, error);
            await audit.RecordAsync(http, call.RequestId, call.Operation, call.Caller, call.Input, null, error);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is no one to answer.
        }
        catch (Exception error)
        {
            // A bug: log it with the request id, answer a fixed message, never the exception text.
            Log.UnhandledError(logger, error, call.Name, call.RequestId);
            var internalError = AwsErrors.Internal();
            await writeError(http, internalError);
            await audit.RecordAsync(http, call.RequestId, call.Operation, call.Caller, call.Input, null, internalError);
        }
    }

    /// <summary>Records which operation this call is, for the log, the audit and the handler.</summary>
    public void Resolved(OperationEntry operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Operation = operation;
        Name = operation.Name;
    }

    /// <summary>What the handler is told about this call: the same for every protocol.</summary>
    public RequestContext ContextFor(OperationEntry operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new RequestContext
        {
            RequestId = RequestId,
            Caller = Caller,
            Operation = operation.Name,
            SourceIp = Http.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Http.Request.Headers.UserAgent.ToString(),
        };
    }

    private static long ElapsedMs(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
