using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FuncSecrets.Host.Functions;
using FuncSecrets.Host.Hosting;
using FuncSecrets.IntegrationTests.Support;

namespace FuncSecrets.IntegrationTests.Functions;

/// <summary>
/// The deployment package as Azure receives it: layout, the executable host.json names, and that
/// executable started the way the Functions host starts a custom handler (only
/// FUNCTIONS_CUSTOMHANDLER_PORT and app settings in the environment, some other working directory).
/// </summary>
[Collection(AzuriteCollection.Name)]
[SupportedOSPlatform("linux")]
public sealed class PackageTests(AzuriteFixture azurite, PackageFixture package) : IClassFixture<PackageFixture>
{
    // The Functions host gives a custom handler 60 s to answer its first ping.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private string HandlerPath()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(package.PackageDirectory, "host.json")))!;
        var relative = (string)host["customHandler"]!["description"]!["defaultExecutablePath"]!;
        return Path.Combine(package.PackageDirectory, relative);
    }

    [Fact]
    public void Package_Layout_HasHostJsonFunctionsAndExecutableHandler()
    {
        Assert.True(File.Exists(Path.Combine(package.PackageDirectory, "host.json")));
        foreach (var function in FunctionNames.All)
        {
            Assert.True(File.Exists(Path.Combine(package.PackageDirectory, function, "function.json")), $"{function}/function.json is missing");
        }

        var handler = HandlerPath();
        Assert.True(File.Exists(handler), $"{handler} is missing");
        Assert.True(File.GetUnixFileMode(handler).HasFlag(UnixFileMode.UserExecute), "the handler is not executable");
        // Self-contained: the runtime travels with the app.
        Assert.True(File.Exists(Path.Combine(package.PackageDirectory, "bin", "libcoreclr.so")));
    }

    [Fact]
    public void Package_Zip_KeepsLayoutAndExecutableMode()
    {
        using var zip = ZipFile.OpenRead(package.ZipFile);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("host.json", names);
        Assert.All(FunctionNames.All, f => Assert.Contains($"{f}/function.json", names));
        var handler = zip.GetEntry("bin/FuncSecrets.Host");
        Assert.NotNull(handler);
        // Unix mode lives in the high 16 bits of the external attributes.
        var mode = (UnixFileMode)((handler.ExternalAttributes >> 16) & 0x1FF);
        Assert.True(mode.HasFlag(UnixFileMode.UserExecute), $"mode in zip: {mode}");
    }

    [Fact]
    public async Task PackagedHandler_StartedLikeTheFunctionsHost_ServesPingSdkCallAndTimer()
    {
        var port = AzuriteFixture.FreePort();
        var table = AzuriteFixture.UniqueTableName("package");
        var elsewhere = Directory.CreateTempSubdirectory("funcsecrets-cwd-").FullName;
        var start = new ProcessStartInfo(HandlerPath())
        {
            WorkingDirectory = elsewhere,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment[HostingMode.CustomHandlerPortVariable] = port.ToString();
        start.Environment["FuncSecrets__Storage__ConnectionString"] = azurite.ConnectionString;
        start.Environment["FuncSecrets__Storage__TableName"] = table;
        start.Environment["FuncSecrets__Storage__DueTableName"] = table + "due";
        start.Environment["FuncSecrets__Encryption__LocalKey"] = FunctionsHostHarness.LocalKey;
        start.Environment["FuncSecrets__Auth__AccessKeys__0__AccessKeyId"] = HostSigner.DevKeyId;
        start.Environment["FuncSecrets__Auth__AccessKeys__0__SecretAccessKey"] = HostSigner.DevSecret;

        var output = new StringBuilder();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            await WaitForPingAsync(client, process, output);

            var created = await SignedCallAsync(client, port, "CreateSecret", new { Name = "packaged", SecretString = "from-the-zip", ClientRequestToken = Guid.NewGuid().ToString() });
            Assert.True(created.Status == 200, created.Body);
            var read = await SignedCallAsync(client, port, "GetSecretValue", new { SecretId = "packaged" });
            Assert.True(read.Status == 200, read.Body);
            Assert.Equal("from-the-zip", (string?)JsonNode.Parse(read.Body)!["SecretString"]);

            using var timer = new StringContent(FunctionsHostHarness.TimerPayload(FunctionNames.PurgeDeletedSecrets, DateTimeOffset.UtcNow, false), Encoding.UTF8, "application/json");
            using var invoked = await client.PostAsync("/" + FunctionNames.PurgeDeletedSecrets, timer);
            var result = JsonNode.Parse(await invoked.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal(200, (int)invoked.StatusCode);
            Assert.Equal(["Logs", "Outputs", "ReturnValue"], result.Select(p => p.Key).Order());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(elsewhere, recursive: true);
        }

        lock (output)
        {
            Assert.DoesNotContain("from-the-zip", output.ToString(), StringComparison.Ordinal);
        }
    }

    private static async Task WaitForPingAsync(HttpClient client, Process process, StringBuilder output)
    {
        var started = Stopwatch.StartNew();
        while (started.Elapsed < StartLimit)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the handler exited with {process.ExitCode}:\n{output}");
            }

            try
            {
                using var ping = await client.GetAsync("/");
                Assert.Equal(200, (int)ping.StatusCode);
                return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet: poll again shortly, as the Functions host does (waiting on a
                // process, not on a clock).
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"the handler did not answer within {StartLimit.TotalSeconds} s:\n{output}");
    }

    private static async Task<(int Status, string Body)> SignedCallAsync(HttpClient client, int port, string operation, object body)
    {
        // Signed for the address the handler is reached at, as a client on the same machine would.
        var (headers, bytes) = HostSigner.SignJson(new Uri($"http://127.0.0.1:{port}"), operation, JsonSerializer.Serialize(body), DateTimeOffset.UtcNow);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new ByteArrayContent(bytes) };
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
