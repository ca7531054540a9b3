using System.Diagnostics;
using System.Text;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// Builds the deployment package once for a test class: <c>scripts/package.sh</c> into a
/// temporary folder, exactly as deploy.sh does before zip deployment.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(15);

    private string _workspace = string.Empty;

    public string PackageDirectory { get; private set; } = string.Empty;

    public string ZipFile { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        var root = AzuriteFixture.FindRepositoryRoot();
        _workspace = Directory.CreateTempSubdirectory("funcsecrets-package-").FullName;
        PackageDirectory = Path.Combine(_workspace, "package");
        ZipFile = Path.Combine(_workspace, "funcsecrets.zip");

        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(root, "scripts", "package.sh"));
        start.ArgumentList.Add(PackageDirectory);
        start.ArgumentList.Add(ZipFile);

        var output = new StringBuilder();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start");
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(BuildTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"scripts/package.sh did not finish within {BuildTimeout}:\n{output}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/package.sh failed with {process.ExitCode}:\n{output}");
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_workspace, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }

        return Task.CompletedTask;
    }
}
