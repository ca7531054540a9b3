using System.Collections.Concurrent;
using System.Security.Cryptography;
using FuncSecrets.IntegrationTests.Support;
using FuncSecrets.TestSupport.Processes;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.EndToEndTests.Support;

/// <summary>
/// One Azurite and one real FuncSecrets.Server process for the whole end-to-end run (see
/// <see cref="EndToEndCollection"/>). Every secret value any test writes carries <see cref="Canary"/>,
/// so the no-leak tests can search the service's output and its raw tables for it. The client
/// scenarios start together and run once each (<see cref="RunScenarioAsync"/>): their own tests
/// assert the result, and the no-leak tests wait for all of them before they look, whatever order
/// xunit picks.
/// If Azurite or the service cannot start, every test fails: none is skipped.
/// </summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<ScriptResult>>> _runs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private ServiceProcess? _service;

    /// <summary>The marker every secret value in this run starts with; never printed by a passing script.</summary>
    public string Canary { get; } = $"leak-canary-{Guid.NewGuid():N}";

    /// <summary>This run's table; the due-index table is this name plus <c>due</c>.</summary>
    public string TableName { get; } = AzuriteFixture.UniqueTableName("e2e");

    public string StorageConnectionString => _azurite.ConnectionString;

    public Uri Endpoint => Service.Endpoint;

    /// <summary>The service's stdout and stderr so far.</summary>
    public string ServiceLog => Service.Log;

    public SignedJsonClient Client { get; private set; } = null!;

    private ServiceProcess Service => _service ?? throw new InvalidOperationException("The service is not running.");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["FuncSecrets__Storage__ConnectionString"] = _azurite.ConnectionString,
            ["FuncSecrets__Storage__TableName"] = TableName,
            ["FuncSecrets__Storage__DueTableName"] = TableName + "due",
            // Audit files are batched (30 s by default); a short window lets LookupEvents see a call soon after it.
            ["FuncSecrets__Audit__BatchSeconds"] = "0.2",
            ["FuncSecrets__Encryption__LocalKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["FuncSecrets__Auth__AccessKeys__0__AccessKeyId"] = ClientScript.AccessKeyId,
            ["FuncSecrets__Auth__AccessKeys__0__SecretAccessKey"] = ClientScript.SecretAccessKey,

            // As chatty as the service gets, so the no-leak tests search the most output there is.
            ["Logging__LogLevel__Default"] = "Debug",
            ["Logging__LogLevel__FuncSecrets"] = "Trace",
        };
        var logPath = Path.Combine(AppContext.BaseDirectory, "e2e-service.log");
        _service = await ServiceProcess.StartAsync(typeof(FuncSecrets.Server.AppFactory).Assembly.Location, settings, logPath);
        Client = new SignedJsonClient(_service.Endpoint);
    }

    public async Task DisposeAsync()
    {
        // Scripts still running (a filtered run that never awaited them) are stopped first.
        await _stopping.CancelAsync();
        foreach (var run in _runs.Values.Where(r => r.IsValueCreated))
        {
            try
            {
                await run.Value;
            }
            catch (Exception)
            {
                // Its test has reported it already (or was filtered out); teardown goes on.
            }
        }

        _stopping.Dispose();
        Client?.Dispose();
        if (_service is not null)
        {
            await _service.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }

    /// <summary>A name prefix no other test uses, made only of characters secret names allow.</summary>
    public static string UniquePrefix(string client) => $"e2e-{client}-{Guid.NewGuid():N}"[..24];

    /// <summary>Runs <paramref name="run"/> the first time <paramref name="key"/> is asked for; later callers share the result.</summary>
    public Task<ScriptResult> RunOnceAsync(string key, Func<Task<ScriptResult>> run) =>
        _runs.GetOrAdd(key, _ => new Lazy<Task<ScriptResult>>(run)).Value;

    /// <summary>
    /// One of the client scenarios in <see cref="ClientScenarios"/>, run once per test run. The first
    /// call starts all of them side by side (each uses its own names), so the run takes as long as
    /// the slowest script (the CLI starts a process per call), not their sum; a run filtered to
    /// other tests starts none.
    /// </summary>
    public Task<ScriptResult> RunScenarioAsync(ClientScenario scenario)
    {
        foreach (var other in ClientScenarios.All)
        {
            Start(other);
        }

        return Start(scenario);
    }

    private Task<ScriptResult> Start(ClientScenario scenario) =>
        RunOnceAsync(scenario.Name, () => ClientScript.RunAsync(
            scenario.Interpreter,
            scenario.Script,
            [Endpoint.GetLeftPart(UriPartial.Authority), UniquePrefix(scenario.Name), Canary],
            scenario.Timeout,
            _stopping.Token));
}
