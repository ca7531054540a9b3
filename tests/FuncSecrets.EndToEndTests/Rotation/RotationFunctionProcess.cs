using System.Diagnostics;
using System.Text;
using FuncSecrets.EndToEndTests.Support;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.EndToEndTests.Rotation;

/// <summary>
/// tests/clients/rotation/serve.py as a separate process: an AWS-style rotation function
/// (lambda_function.py, boto3) served on 127.0.0.1, calling the service back with the test
/// credentials. Killed by its own PID on dispose.
/// </summary>
public sealed class RotationFunctionProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _stateDirectory;

    private RotationFunctionProcess(Process process, string stateDirectory)
    {
        _process = process;
        _stateDirectory = stateDirectory;
    }

    /// <summary>The function's URL, to give as RotationLambdaARN.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>What the function printed: one line per event (step, secret ARN, token).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<RotationFunctionProcess> StartAsync(Uri serviceEndpoint)
    {
        var root = AzuriteFixture.FindRepositoryRoot();
        var folder = Path.Combine(root, "tests", "clients", "rotation");
        var state = Directory.CreateTempSubdirectory("funcsecrets-rotation-state-").FullName;
        var start = new ProcessStartInfo("python3")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(folder, "serve.py"));
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["SECRETS_MANAGER_ENDPOINT"] = serviceEndpoint.GetLeftPart(UriPartial.Authority);
        start.Environment["ROTATION_STATE_DIR"] = state;
        start.Environment["AWS_ACCESS_KEY_ID"] = ClientScript.AccessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = ClientScript.SecretAccessKey;
        start.Environment["AWS_DEFAULT_REGION"] = ClientScript.Region;
        start.Environment["AWS_CONFIG_FILE"] = Path.Combine(state, "no-config");
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(state, "no-credentials");
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";
        start.Environment["NO_PROXY"] = "127.0.0.1,localhost";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";

        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start.");
        var function = new RotationFunctionProcess(process, state);
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("serve.py ended before it listened:\n" + function.Output));
                return;
            }

            function.Capture(e.Data);
            if (e.Data.StartsWith("listening ", StringComparison.Ordinal))
            {
                ready.TrySetResult(e.Data["listening ".Length..].Trim());
            }
        };
        process.ErrorDataReceived += (_, e) => function.Capture(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            function.Url = await ready.Task.WaitAsync(ReadyTimeout);
        }
        catch
        {
            await function.DisposeAsync();
            throw;
        }

        return function;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
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
