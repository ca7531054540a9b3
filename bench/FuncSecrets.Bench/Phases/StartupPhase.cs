using FuncSecrets.Bench.Infra;
using FuncSecrets.Bench.Load;

namespace FuncSecrets.Bench.Phases;

/// <summary>
/// Time from process start to the first answered readiness ping (<c>GET /</c>, what the Functions
/// host waits for) and to the first answered signed GetSecretValue (a 200 with the value: opens
/// the store, verifies SigV4, reads, decrypts), for each build of the host given, on an otherwise
/// idle machine. One unmeasured start first brings the files into the page cache, as a warm
/// Functions worker has them.
/// </summary>
public sealed class StartupPhase(BenchSettings settings, BenchOptions options, Report report)
{
    public async Task RunAsync(IReadOnlyList<(string Label, string Program)> builds)
    {
        var rows = new List<string[]>();
        foreach (var (label, program) in builds)
        {
            var times = new List<double>();
            var ready = new List<double>();
            var rss = new List<double>();
            for (var run = -1; run < options.StartupRuns; run++)
            {
                await using var service = ServiceProcess.Start(program, settings.Environment());
                // Signed before the start, for the endpoint it will listen on: nothing is left to do but send.
                var signer = new RequestSigner(service.Endpoint, settings.AccessKeyId, settings.SecretAccessKey);
                var call = ReadPhase.GetCall(signer, 0);
                var pinged = await service.WaitForReadyAsync(TimeSpan.FromSeconds(60));
                var elapsed = await service.WaitForFirstAnswerAsync(call, TimeSpan.FromSeconds(60));
                if (run >= 0)
                {
                    ready.Add(pinged.TotalMilliseconds);
                    times.Add(elapsed.TotalMilliseconds);
                    rss.Add(service.ResidentMegabytes());
                }
            }

            times.Sort();
            ready.Sort();
            Report.Progress($"start-up {label}: ready {ready[ready.Count / 2]:F0} ms, first answer {times[times.Count / 2]:F0} ms (medians)");
            rows.Add([label, Report.N(ready[ready.Count / 2]), Report.N(times[0]), Report.N(times[times.Count / 2]), Report.N(times[^1]), Report.N(rss.Average())]);
        }

        report.Line($"{options.StartupRuns} starts per build after one unmeasured start.");
        report.Line(string.Empty);
        report.Table(["build", "GET / ready, median ms", "first signed answer, min ms", "median ms", "max ms", "RSS after first answer MB"], rows);
    }
}
