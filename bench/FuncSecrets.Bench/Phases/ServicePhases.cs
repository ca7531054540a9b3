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
                await new ReadPhase(azurite, settings, options, report).RunAsync(service, signer);
            }

            if (options.Runs("writes"))
            {
                report.Heading("PutSecretValue");
                await new WritePhase(options, report).RunAsync(service, api);
            }
        });

        if (options.Runs("startup"))
        {
            report.Heading("Start-up: process start → first answered signed GetSecretValue");
            var builds = new List<(string, string)> { ("`dotnet FuncSecrets.Server.dll` (framework-dependent, JIT)", hostDll) };
            if (options.ReadyToRunHost is { } r2r)
            {
                builds.Add(("self-contained ReadyToRun server", r2r));
            }

            await new StartupPhase(settings, options, report).RunAsync(builds);
        }

        if (options.Runs("counters"))
        {
            report.Heading("Inside one GetSecretValue (in-process service, 32 connections, steady state)");
            await new CounterPhase(azurite, settings, options, report).RunAsync();
        }

        if (options.Runs("list"))
        {
            await WithServiceAsync(hostDll, settings, async (service, signer, api) =>
            {
                report.Heading("CreateSecret, and ListSecrets as the store grows");
                await new ListPhase(azurite, settings, options, report).RunAsync(service, api);
            });
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
