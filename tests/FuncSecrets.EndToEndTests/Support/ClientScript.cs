using System.Diagnostics;
using System.Text;

namespace FuncSecrets.EndToEndTests.Support;

/// <summary>How one run of a client script ended: its exit code and everything it printed.</summary>
public sealed record ScriptResult(string Description, int? ExitCode, bool TimedOut, TimeSpan Elapsed, string Output)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    /// <summary>The whole story, for an assertion message.</summary>
    public override string ToString() =>
        $"{Description}: {(TimedOut ? "timed out" : $"exit code {ExitCode}")} after {Elapsed.TotalSeconds:F1} s\n{Output}";
}

/// <summary>
/// Runs one script from <c>tests/clients</c> (bash, python3 or node) against the service, with an
/// environment holding only the test credentials: no profile, config file, instance metadata or
/// proxy on this machine can change what the AWS clients send.
/// </summary>
public static class ClientScript
{
    public const string AccessKeyId = "test";
    public const string SecretAccessKey = "test";
    public const string Region = "us-east-1";

    /// <summary>
    /// Runs the script to its end, or kills it (its whole process tree) when <paramref name="timeout"/>
    /// passes or <paramref name="stopping"/> fires; never throws for the script's own failure.
    /// </summary>
    public static async Task<ScriptResult> RunAsync(string interpreter, string script, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken stopping = default)
    {
        var root = FuncSecrets.IntegrationTests.Support.AzuriteFixture.FindRepositoryRoot();
        var path = Path.Combine(root, "tests", "clients", script);
        var start = new ProcessStartInfo(interpreter)
        {
            WorkingDirectory = Path.Combine(root, "tests", "clients"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(path);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        IsolateAwsEnvironment(start.Environment);
        var output = new StringBuilder();
        void Capture(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{interpreter} did not start.");
        process.OutputDataReceived += (_, e) => Capture(e.Data);
        process.ErrorDataReceived += (_, e) => Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended on its own just now.
            }

            Capture(stopping.IsCancellationRequested ? "[stopped: the test run is ending]" : $"[killed after {timeout.TotalSeconds} s]");
        }

        // Without a token the wait also drains the redirected output; the process has ended (or been killed).
        await process.WaitForExitAsync(CancellationToken.None);
        lock (output)
        {
            return new ScriptResult($"{interpreter} {script}", timedOut ? null : process.ExitCode, timedOut, stopwatch.Elapsed, output.ToString());
        }
    }

    /// <summary>
    /// Only the test identity: every AWS_* variable from the outer shell goes, except AWS_CLI (the
    /// scenarios' own choice of CLI binary, which no AWS tool reads).
    /// </summary>
    private static void IsolateAwsEnvironment(IDictionary<string, string?> environment)
    {
        foreach (var name in environment.Keys.ToList())
        {
            if (name.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase) && name != "AWS_CLI")
            {
                environment.Remove(name);
            }
        }

        var nowhere = Path.Combine(Path.GetTempPath(), $"funcsecrets-e2e-no-aws-config-{Guid.NewGuid():N}");
        environment["AWS_ACCESS_KEY_ID"] = AccessKeyId;
        environment["AWS_SECRET_ACCESS_KEY"] = SecretAccessKey;
        environment["AWS_DEFAULT_REGION"] = Region;
        environment["AWS_REGION"] = Region;
        environment["AWS_CONFIG_FILE"] = Path.Combine(nowhere, "config");
        environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(nowhere, "credentials");
        environment["AWS_EC2_METADATA_DISABLED"] = "true";

        // No retries: a 5xx or a throttle must reach the script, not be hidden by a second try.
        environment["AWS_MAX_ATTEMPTS"] = "1";
        environment["AWS_RETRY_MODE"] = "standard";
        environment["AWS_PAGER"] = string.Empty;
        environment["PYTHONDONTWRITEBYTECODE"] = "1";
        environment["NODE_NO_WARNINGS"] = "1";
        environment["NO_PROXY"] = "127.0.0.1,localhost";
        environment["no_proxy"] = "127.0.0.1,localhost";
    }
}
