using System.Diagnostics;
using FuncSecrets.Core.Audit;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Services;
using Microsoft.Extensions.Logging;

namespace FuncSecrets.Core.Rotation;

/// <summary>
/// Runs rotations: the four steps <c>createSecret</c>, <c>setSecret</c>, <c>testSecret</c>,
/// <c>finishSecret</c> against the secret's rotation function (or the built-in rotator), under a
/// lease so one secret's rotation never runs twice at once, also across instances.
/// <para>
/// RotateSecret runs the first step while the caller waits, so a function that cannot be
/// reached is refused as AWS refuses a Lambda it cannot invoke (AccessDenied, settings rolled
/// back), then answers and runs the other steps in the background, as AWS's asynchronous
/// rotation does. Background runs are tracked and bounded, and stop at shutdown (their lease
/// expires and the rotation job resumes them). The rotation job runs its rotations to the end.
/// A failed step leaves AWSPENDING in place; the next attempt resumes with the same token.
/// </para>
/// </summary>
public sealed class RotationRunner : IAsyncDisposable
{
    private readonly OperationDependencies _deps;
    private readonly IRotationFunctionInvoker _invoker;
    private readonly IAuditSink? _audit;
    private readonly RotationWrites _writes;
    private readonly BuiltInPasswordRotator _builtIn;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly BackgroundRuns _background = new();

    /// <param name="deps">The service's dependencies (store, cipher, clock, logging).</param>
    /// <param name="invoker">Reaches rotation functions.</param>
    /// <param name="options">Leases, retries, concurrency, built-in password rules.</param>
    /// <param name="audit">Where the rotation's own events go (RotationStarted, RotationSucceeded, RotationFailed, RotationAbandoned), as AWS records them in CloudTrail.</param>
    public RotationRunner(OperationDependencies deps, IRotationFunctionInvoker invoker, RotationOptions options, IAuditSink? audit = null)
    {
        ArgumentNullException.ThrowIfNull(deps);
        ArgumentNullException.ThrowIfNull(invoker);
        ArgumentNullException.ThrowIfNull(options);
        _deps = deps;
        _invoker = invoker;
        _audit = audit;
        _writes = new RotationWrites(deps, options);
        _builtIn = new BuiltInPasswordRotator(deps, options.Password);
        _logger = deps.LoggerFactory.CreateLogger("FuncSecrets.Rotation");
        _slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentRotations));
        MaxConcurrentRotations = Math.Max(1, options.MaxConcurrentRotations);
    }

    /// <summary>How many rotations run at once, in the background and in one job pass.</summary>
    public int MaxConcurrentRotations { get; }

    /// <summary>True for the marker that selects the built-in password rotator.</summary>
    public static bool IsBuiltIn(string function) =>
        string.Equals(function, RotationOptions.BuiltInPasswordFunction, StringComparison.Ordinal);

    /// <summary>Whether RotateSecret may use <paramref name="function"/> (see <see cref="IRotationFunctionInvoker.CanInvoke"/>).</summary>
    public bool CanInvoke(string function) => IsBuiltIn(function) || _invoker.CanInvoke(function);

    /// <summary>
    /// RotateSecret's part: stores the settings, announces the AWSPENDING version and runs the
    /// first step (testSecret alone when <paramref name="rotateImmediately"/> is false). Throws
    /// AccessDenied when the function cannot be reached.
    /// </summary>
    public async Task StartAsync(SecretRecord secret, string token, string function, RotationRules? rules, bool rotateImmediately, RequestContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var request = new BeginRequest(new SecretLocator.SecretReference(secret.Name, secret.ArnSuffix), token, new RotationSettings(function, rules, rotateImmediately));
        var run = await _writes.BeginAsync(request, context, cancellationToken);
        if (run is null)
        {
            // The same call again: its rotation is running or done.
            return;
        }

        RotationLog.Started(_logger, run.Name, run.Token, Describe(run.Function), rotateImmediately ? "RotateSecret" : "RotateSecret configuration test");
        if (rotateImmediately)
        {
            await AuditAsync(run, "RotationStarted", null, null);
        }

        var first = rotateImmediately ? RotationSteps.CreateSecret : RotationSteps.TestSecret;
        var result = await RunStepAsync(run, first, _stopping.Token);
        if (result.Status == RotationStepStatus.Unreachable)
        {
            await _writes.RollbackAsync(run, CancellationToken.None);
            RotationLog.FunctionUnreachable(_logger, run.Name, run.Token, Describe(run.Function));
            if (rotateImmediately)
            {
                await AuditAsync(run, "RotationAbandoned", first, "The rotation function could not be reached; the rotation settings were rolled back.");
            }

            throw AwsErrors.CannotInvokeRotationFunction();
        }

        if (!rotateImmediately)
        {
            RotationLog.ConfigurationTested(_logger, run.Name, run.Token, result.Status, result.HttpStatus);
            await _writes.EndTestAsync(run, CancellationToken.None);
            return;
        }

        if (!result.Succeeded)
        {
            await FailAsync(run, first, Explain(first, result), CancellationToken.None);
            return;
        }

        StartInBackground(run);
    }

    /// <summary>
    /// The rotation job's part: starts the rotation of a due secret (or resumes the one in
    /// progress, with its token) and runs it to the end. Never throws but for cancellation.
    /// </summary>
    public async Task<DueRotationOutcome> RunDueAsync(SecretRecord secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        RotationRun? run;
        try
        {
            run = await _writes.BeginAsync(new BeginRequest(new SecretLocator.SecretReference(secret.Name, secret.ArnSuffix), null, null), RotationRun.SystemContext(), cancellationToken);
        }
        catch (AwsException error) when (error.IsClientFault)
        {
            // Deleted, purged or in progress meanwhile: nothing to do for this entry.
            RotationLog.Skipped(_logger, secret.Name, error.Code);
            return DueRotationOutcome.NotRotated;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Storage trouble before anything started: try again at the next tick.
            RotationLog.Crashed(_logger, error, secret.Name, "-");
            return DueRotationOutcome.TryAgain;
        }

        if (run is null)
        {
            RotationLog.Skipped(_logger, secret.Name, "running elsewhere");
            return DueRotationOutcome.NotRotated;
        }

        RotationLog.Started(_logger, run.Name, run.Token, Describe(run.Function), "schedule");
        await AuditAsync(run, "RotationStarted", null, null);
        try
        {
            return await RunStepsAsync(run, 0, cancellationToken) ? DueRotationOutcome.Rotated : DueRotationOutcome.NotRotated;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The lease runs out and its entry brings the rotation back to the job.
            RotationLog.Crashed(_logger, error, run.Name, run.Token);
            return DueRotationOutcome.NotRotated;
        }
    }

    /// <summary>Completes when no background rotation is running (tests, shutdown).</summary>
    public Task WhenIdleAsync() => _background.WhenIdleAsync();

    /// <summary>Cancels the background rotations and waits for them to stop.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await WhenIdleAsync().WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None);
        _stopping.Dispose();
        _slots.Dispose();
    }

    /// <summary>A function as logs may show it: a URL without its query (it may carry a key).</summary>
    public static string Describe(string function)
    {
        if (Uri.TryCreate(function, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return uri.GetLeftPart(UriPartial.Path);
        }

        return function;
    }

    private void StartInBackground(RotationRun run)
    {
        var stopping = _stopping.Token;
        _background.Start(async () =>
        {
            try
            {
                await _slots.WaitAsync(stopping);
                try
                {
                    await RunStepsAsync(run, 1, stopping);
                }
                finally
                {
                    _slots.Release();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Shutdown: the lease runs out and the rotation job resumes with the same token.
                RotationLog.Stopped(_logger, run.Name, run.Token, "the app is shutting down; the rotation job resumes it");
            }
            catch (Exception error)
            {
                RotationLog.Crashed(_logger, error, run.Name, run.Token);
            }
        });
    }

    /// <summary>Runs the steps from <paramref name="from"/> on, renewing the lease before each.</summary>
    private async Task<bool> RunStepsAsync(RotationRun run, int from, CancellationToken cancellationToken)
    {
        for (var i = from; i < RotationSteps.All.Count; i++)
        {
            var step = RotationSteps.All[i];
            if (i > 0 && !await _writes.RenewAsync(run, cancellationToken))
            {
                RotationLog.Stopped(_logger, run.Name, run.Token, "rotation was cancelled or taken over");
                await AuditAsync(run, "RotationAbandoned", step, "The rotation was cancelled or taken over by another instance.");
                return false;
            }

            var result = await RunStepAsync(run, step, cancellationToken);
            if (!result.Succeeded)
            {
                await FailAsync(run, step, Explain(step, result), cancellationToken);
                return false;
            }
        }

        if (!await _writes.CompleteAsync(run, cancellationToken))
        {
            RotationLog.StepFailed(_logger, run.Name, run.Token, RotationSteps.FinishSecret, RotationStepStatus.Failed, null, "AWSCURRENT is not on the new version");
            await FailAsync(run, RotationSteps.FinishSecret, "finishSecret answered success but AWSCURRENT is not on the new version.", cancellationToken);
            return false;
        }

        RotationLog.Succeeded(_logger, run.Name, run.Token);
        await AuditAsync(run, "RotationSucceeded", null, null);
        return true;
    }

    private async Task FailAsync(RotationRun run, string step, string explanation, CancellationToken cancellationToken)
    {
        var retryAt = await _writes.FailAsync(run, cancellationToken);
        RotationLog.Failed(_logger, run.Name, run.Token, step, retryAt);
        await AuditAsync(run, "RotationFailed", step, explanation);
    }

    /// <summary>A step's failure in words: status and class only, never a response body.</summary>
    private static string Explain(string step, RotationStepResult result) => result.HttpStatus is { } status
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{step} failed: {result.Status} (HTTP {status}).")
        : $"{step} failed: {result.Status}{(result.Detail is null ? string.Empty : " (" + result.Detail + ")")}.";

    /// <summary>
    /// One audit record of the rotation itself (AWS logs these as service events in CloudTrail).
    /// Best effort: an audit fault never fails a rotation.
    /// </summary>
    private async Task AuditAsync(RotationRun run, string eventName, string? step, string? message)
    {
        if (_audit is null)
        {
            return;
        }

        try
        {
            await _audit.WriteAsync(new AuditRecord
            {
                EventTime = _deps.Now(),
                EventName = eventName,
                RequestId = Guid.NewGuid().ToString(),
                EventCategory = "Management",
                UserAgent = "secretsmanager.amazonaws.com",
                Resource = run.Arn,
                VersionId = run.Token,
                ErrorCode = step,
                ErrorMessage = message,
            }, CancellationToken.None);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            RotationLog.Crashed(_logger, error, run.Name, run.Token);
        }
    }

    private async Task<RotationStepResult> RunStepAsync(RotationRun run, string step, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var result = IsBuiltIn(run.Function)
            ? await _builtIn.RunStepAsync(run, step, cancellationToken)
            : await _invoker.InvokeAsync(run.Function, new RotationEvent(run.Arn, run.Token, step), cancellationToken);
        if (result.Succeeded)
        {
            RotationLog.StepSucceeded(_logger, run.Name, run.Token, step, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        else
        {
            RotationLog.StepFailed(_logger, run.Name, run.Token, step, result.Status, result.HttpStatus, result.Detail);
        }

        return result;
    }
}

/// <summary>How a rotation the job started ended.</summary>
public enum DueRotationOutcome
{
    /// <summary>The rotation finished: AWSCURRENT is on the new version.</summary>
    Rotated,

    /// <summary>Nothing ran, or the rotation failed and scheduled its own retry.</summary>
    NotRotated,

    /// <summary>The rotation could not start (storage unavailable): keep the due entry.</summary>
    TryAgain,
}
