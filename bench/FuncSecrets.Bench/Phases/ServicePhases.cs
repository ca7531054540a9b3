using FuncSecrets.Bench.Infra;
using FuncSecrets.Bench.Load;

namespace FuncSecrets.Bench.Phases;

/// <summary>
/// The phases that need the service, in an order that keeps them apart: reads against the floor
/// and writes on a small table (Azurite's lookups slow down as a table grows, see docs/bench.md),
/// start-up times with nothing else running, the in-process counters, and only then the listing
/// phase, which grows the table to 10,000 secrets.
/// </summary>
public sealed class ServicePhases(string root, AzuriteProcess azurite, BenchOptions options, Report report)
{
    private static readonly string[] ServicePhaseNames = ["reads", "writes", "startup", "counters", "list"];

    public async Task RunAsync()
    {
        if (!ServicePhaseNames.Any(options.Runs))
        {
            return;
        }

        var settings = new BenchSettings(azurite, "benchsecrets", options.ServiceSettings);
        var hostDll = Repository.HostDll(root);
        if (!File.Exists(hostDll))
        {
            throw new InvalidOperationException($"{hostDll} is missing: run `dotnet build src/FuncSecrets.Server -c Release` first.");
        }

        // The read secrets are seeded in any case: start-up and the counters read them too.
        await WithServiceAsync(hostDll, settings, async (service, signer, api) =>
        {
            await ReadPhase.SeedAsync(api);
            Report.Progress($"service pid {service.ProcessId} on {service.Endpoint}, {ReadPhase.Secrets} secrets seeded");
            if (options.Runs("reads"))
            {
                report.Heading("GetSecretValue vs the storage floor (interleaved, same run)");
                report.Line($"Closed loop; each cell pools {options.Rounds} runs of {options.RunLength.TotalSeconds:F0} s after a warm-up; "
                    + $"{ReadPhase.Secrets} secrets read in turn; requests signed with AWSSDK.Core's AWS4Signer (re-signed every minute).");
                report.Line(string.Empty);
                if (options.BaselineHost is { } baselineDll)
                {
                    // The baseline serves the same tables: it must read what this build wrote and
                    // this build what it wrote, or the comparison would be of different work.
                    await using var baseline = ServiceProcess.Start(baselineDll, settings.Environment());
                    var baselineSigner = new RequestSigner(baseline.Endpoint, settings.AccessKeyId, settings.SecretAccessKey);
                    await baseline.WaitForFirstAnswerAsync(baselineSigner.Sign("ListSecrets", "{}"), TimeSpan.FromSeconds(60));
                    var baselineApi = new ApiClient(api.Http, baselineSigner);
                    await CheckSharedStoreAsync(api, baselineApi);
                    Report.Progress($"baseline pid {baseline.ProcessId} on {baseline.Endpoint} reads this build's secrets and the other way round");
                    report.Line($"Baseline: {options.BaselineName} (`{baselineDll}`), on the same Azurite and tables; each build read a secret the other wrote, same value.");
                    report.Line(string.Empty);
                    await new ReadPhase(azurite, settings, options, report).RunAsync(service, signer, (baseline, baselineSigner));
                }
                else
                {
                    await new ReadPhase(azurite, settings, options, report).RunAsync(service, signer);
                }
            }

            if (options.Runs("writes"))
            {
                report.Heading("PutSecretValue");
                await RunWritesAsync(settings, service, api);
            }
        });

        if (options.Runs("startup"))
        {
            report.Heading("Start-up of both hosting shapes against an empty ASP.NET Core app");
            const string emptyWorker = "empty isolated worker (one HTTP function, same SDK packages), build output, under the stand-in host";
            const string emptyWorkerR2R = "empty isolated worker, ReadyToRun as scripts/package.sh publishes a worker, under the stand-in host";
            var baseline = options.BaselineName;
            var shapes = new List<StartupPhase.Shape>
            {
                new("empty ASP.NET Core app (CreateSlimBuilder + one MapGet)", Repository.EmptyAppDll(root), Signed: false),
                new("standalone server, `dotnet FuncSecrets.Server.dll`", hostDll, Signed: true),
            };
            if (options.ReadyToRunHost is { } r2r)
            {
                shapes.Add(new("standalone server, self-contained ReadyToRun", r2r, Signed: true));
            }

            if (options.BaselineReadyToRunHost is { } baselineR2R)
            {
                shapes.Add(new($"baseline {baseline}: standalone server, self-contained ReadyToRun", baselineR2R, Signed: true));
            }

            shapes.Add(new(emptyWorker, Repository.EmptyWorkerDll(root), Signed: false, Function: "Ping"));
            shapes.Add(new("Functions worker, `dotnet FuncSecrets.Functions.dll` (build output) under the stand-in host", Path.Combine(Repository.WorkerDirectory(root), "FuncSecrets.Functions.dll"), Signed: true, Function: "SecretsApi", Yardstick: emptyWorker));
            var r2rYardstick = options.ReadyToRunEmptyWorker is null ? null : emptyWorkerR2R;
            if (options.ReadyToRunEmptyWorker is { } r2rEmptyWorker)
            {
                shapes.Add(new(emptyWorkerR2R, r2rEmptyWorker, Signed: false, Function: "Ping"));
            }

            if (options.ReadyToRunWorker is { } r2rWorker)
            {
                shapes.Add(new("Functions worker, ReadyToRun as scripts/package.sh publishes it, under the stand-in host", r2rWorker, Signed: true, Function: "SecretsApi", Yardstick: r2rYardstick));
            }

            if (options.BaselineReadyToRunWorker is { } baselineWorker)
            {
                shapes.Add(new($"baseline {baseline}: Functions worker, ReadyToRun as its scripts/package.sh publishes it", baselineWorker, Signed: true, Function: "SecretsApi", Yardstick: r2rYardstick));
            }

            foreach (var (label, program, environment) in options.StartupExtras)
            {
                var worker = Path.GetFileName(program) == "FuncSecrets.Functions.dll";
                shapes.Add(new(label, program, Signed: true, Function: worker ? "SecretsApi" : null, Yardstick: worker ? r2rYardstick : null) { Environment = environment });
            }

            await new StartupPhase(settings, options, report).RunAsync(shapes);
        }

        if (options.Runs("counters"))
        {
            report.Heading("Inside one GetSecretValue (in-process service, 32 connections, steady state)");
            await new CounterPhase(azurite, settings, options, report).RunAsync();
        }

        if (options.Runs("list"))
        {
            report.Heading("ListSecrets in the service at 1,000 to 100,000 secrets, without Azurite's scan (in-memory store)");
            await ListScale.RunAsync(report);
            await WithServiceAsync(hostDll, settings, async (service, signer, api) =>
            {
                report.Heading("CreateSecret, and ListSecrets as the store grows");
                await new ListPhase(azurite, settings, options, report).RunAsync(service, api);
            });
        }
    }

    /// <summary>The writes phase: this build and every baseline, each started beside it on the same tables.</summary>
    private async Task RunWritesAsync(BenchSettings settings, ServiceProcess service, ApiClient api)
    {
        var baselines = new List<ServiceProcess>();
        try
        {
            var targets = new List<WritePhase.Target> { new("this build", service, api, "bench-write-new") };
            foreach (var ((name, dll), i) in options.Baselines.Select((b, i) => (b, i)))
            {
                var process = ServiceProcess.Start(dll, settings.Environment());
                baselines.Add(process);
                var signer = new RequestSigner(process.Endpoint, settings.AccessKeyId, settings.SecretAccessKey);
                await process.WaitForFirstAnswerAsync(signer.Sign("ListSecrets", "{}"), TimeSpan.FromSeconds(60));
                targets.Add(new(name, process, new ApiClient(api.Http, signer), $"bench-write-b{i + 1}"));
            }

            await new WritePhase(azurite, settings, options, report).RunAsync(targets);
        }
        finally
        {
            foreach (var process in baselines)
            {
                await process.DisposeAsync();
            }
        }
    }

    /// <summary>Each build reads, value for value, a secret the other one wrote.</summary>
    private static async Task CheckSharedStoreAsync(ApiClient current, ApiClient baseline)
    {
        foreach (var (writer, reader, name) in new[] { (current, baseline, "bench-compat-new"), (baseline, current, "bench-compat-baseline") })
        {
            var value = ApiClient.Value(name.Length, ReadPhase.ValueBytes);
            await writer.OkAsync("CreateSecret", new { Name = name, SecretString = value, ClientRequestToken = Guid.NewGuid().ToString() });
            var read = await reader.OkAsync("GetSecretValue", new { SecretId = name });
            if ((string?)read["SecretString"] != value)
            {
                throw new InvalidOperationException($"{name}: the other build read a different value; the storage layouts diverged, give each build its own table.");
            }
        }

        var seeded = await baseline.OkAsync("GetSecretValue", new { SecretId = ReadPhase.Name(0) });
        if ((string?)seeded["SecretString"] is not { Length: > 0 })
        {
            throw new InvalidOperationException("The baseline does not read the seeded secrets.");
        }
    }

    private static async Task WithServiceAsync(string hostDll, BenchSettings settings, Func<ServiceProcess, RequestSigner, ApiClient, Task> body)
    {
        await using var service = ServiceProcess.Start(hostDll, settings.Environment());
        var signer = new RequestSigner(service.Endpoint, settings.AccessKeyId, settings.SecretAccessKey);
        using var http = LoadRunner.CreateClient(64);
        var api = new ApiClient(http, signer);
        await service.WaitForFirstAnswerAsync(signer.Sign("ListSecrets", "{}"), TimeSpan.FromSeconds(60));
        await body(service, signer, api);
    }
}
