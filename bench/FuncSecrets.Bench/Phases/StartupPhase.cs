using System.Diagnostics;
using FuncSecrets.Bench.Infra;
using FuncSecrets.Bench.Load;
using FuncSecrets.IntegrationTests.Functions.StandInHost;

namespace FuncSecrets.Bench.Phases;

/// <summary>
/// Start-up of both hosting shapes against an empty ASP.NET Core app, in one interleaved run
/// (issue 15): process start → first answer (<c>GET /</c>; for the worker, the first HTTP
/// invocation through the stand-in Functions host) → first signed GetSecretValue answered 200 (opens
/// the store, verifies SigV4, reads, decrypts). The shapes take turns, the order rotated every
/// round, so drift hits each alike; one unmeasured round first brings the files into the page
/// cache, as a warm instance has them.
/// </summary>
public sealed class StartupPhase(BenchSettings settings, BenchOptions options, Report report)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// One thing to start: a process answering <c>GET /</c>, or a worker under the stand-in host
    /// (<paramref name="Function"/> is its HTTP function). <paramref name="Yardstick"/> names the
    /// shape it is also compared with (a worker with its empty worker of the same build kind).
    /// </summary>
    public sealed record Shape(string Label, string Program, bool Signed, string? Function = null, string? Yardstick = null)
    {
        /// <summary>Environment added to the service's settings (a runtime knob under test).</summary>
        public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

        public bool Worker => Function is not null;
    }

    public async Task RunAsync(IReadOnlyList<Shape> shapes)
    {
        var first = shapes.ToDictionary(s => s.Label, _ => new List<double>());
        var signed = shapes.ToDictionary(s => s.Label, _ => new List<double>());
        var rss = shapes.ToDictionary(s => s.Label, _ => new List<double>());
        var steps = shapes.ToDictionary(s => s.Label, _ => new Dictionary<string, List<double>>(StringComparer.Ordinal));
        for (var round = -1; round < options.StartupRuns; round++)
        {
            var offset = Math.Max(round, 0) % shapes.Count;
            foreach (var shape in shapes.Skip(offset).Concat(shapes.Take(offset)))
            {
                var milestones = new Dictionary<string, double>(StringComparer.Ordinal);
                var (toFirst, toSigned, megabytes) = shape.Worker ? await StartWorkerAsync(shape, milestones) : await StartProcessAsync(shape);
                if (round >= 0)
                {
                    foreach (var (step, ms) in milestones)
                    {
                        (steps[shape.Label].TryGetValue(step, out var list) ? list : steps[shape.Label][step] = []).Add(ms);
                    }

                    first[shape.Label].Add(toFirst);
                    signed[shape.Label].Add(toSigned);
                    rss[shape.Label].Add(megabytes);
                }
            }
        }

        var empty = Median(first[shapes[0].Label]);
        var rows = new List<string[]>();
        foreach (var shape in shapes)
        {
            var f = Median(first[shape.Label]);
            var s = shape.Signed ? Median(signed[shape.Label]) : double.NaN;
            var yardstick = shape.Yardstick is { } other ? Median(first[other]) : double.NaN;
            Report.Progress($"start-up {shape.Label}: first answer {f:F0} ms, first signed GetSecretValue {(shape.Signed ? s.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) : "-")} ms (medians)");
            rows.Add(
            [
                shape.Label,
                Report.N(f), Range(first[shape.Label]), Report.N(f / empty, 2) + "×",
                shape.Signed ? Report.N(s) : "–", shape.Signed ? Range(signed[shape.Label]) : "–", shape.Signed ? Report.N(s / empty, 2) + "×" : "–",
                shape.Yardstick is null ? "–" : $"{Report.N(f / yardstick, 2)}× / {(shape.Signed ? Report.N(s / yardstick, 2) + "×" : "–")}",
                Report.N(rss[shape.Label].Average()),
            ]);
        }

        report.Line($"{options.StartupRuns} starts of each, interleaved (order rotated every round), after one unmeasured round. "
            + "Ratios are to the empty app's median first answer; targets (issue 15): first answer ≤ 1.2×, first signed GetSecretValue ≤ 1.5×. "
            + "A worker is also compared with the empty isolated worker of the same build kind (its first answer): first answer / first signed call.");
        report.Line(string.Empty);
        report.Table(["shape", "first answer, median ms", "min–max", "vs empty app", "first signed GetSecretValue, median ms", "min–max", "vs empty app", "vs empty worker", "RSS after MB"], rows);

        // The worker's start step by step, as the stand-in host saw it (medians, ms since the process started).
        var workers = shapes.Where(s => s.Worker).ToList();
        if (workers.Count > 0)
        {
            var names = workers.SelectMany(w => steps[w.Label].Keys).Distinct().ToList();
            report.Line(string.Empty);
            report.Line("The workers' start, step by step as the stand-in host saw each answer (median ms since just before the process started):");
            report.Line(string.Empty);
            string[] Row(Shape w) =>
            [
                w.Label,
                .. names.Select(n => steps[w.Label].TryGetValue(n, out var v) ? Report.N(Median(v)) : "–"),
                Report.N(Median(first[w.Label])),
                w.Signed ? Report.N(Median(signed[w.Label])) : "–",
            ];
            report.Table(["worker", .. names, "first answer", "first signed GetSecretValue"], [.. workers.Select(Row)]);
        }
    }

    private async Task<(double First, double Signed, double Rss)> StartProcessAsync(Shape shape)
    {
        await using var service = ServiceProcess.Start(shape.Program, settings.Environment(shape.Environment));
        // Signed before the start, for the endpoint it will listen on: nothing is left to do but send.
        var call = ReadPhase.GetCall(new RequestSigner(service.Endpoint, settings.AccessKeyId, settings.SecretAccessKey), 0);
        var toFirst = await service.WaitForReadyAsync(Patience);
        var toSigned = shape.Signed ? await service.WaitForFirstAnswerAsync(call, Patience) : TimeSpan.Zero;
        return (toFirst.TotalMilliseconds, toSigned.TotalMilliseconds, service.ResidentMegabytes());
    }

    /// <summary>
    /// The worker as the Functions host starts it (<c>dotnet FuncSecrets.Functions.dll</c> with the
    /// host's arguments, gRPC handshake, function indexing and loading), then the host's first HTTP
    /// invocations: <c>GET /</c>, and a signed GetSecretValue proxied to the worker's Kestrel.
    /// </summary>
    private async Task<(double First, double Signed, double Rss)> StartWorkerAsync(Shape shape, Dictionary<string, double> milestones)
    {
        var appSettings = settings.Environment(shape.Environment);
        appSettings["AzureWebJobsStorage"] = settings.ConnectionString;
        await using var host = await StandInFunctionsHost.StartAsync(Path.GetDirectoryName(shape.Program)!, Path.GetFileName(shape.Program), appSettings);
        foreach (var (step, at) in host.Milestones)
        {
            milestones[step] = Stopwatch.GetElapsedTime(host.WorkerStartedAt, at).TotalMilliseconds;
        }
        var (ping, _) = await host.InvokeHttpAsync(shape.Function!, new HttpRequestMessage(HttpMethod.Get, host.HttpUri));
        var toFirst = Stopwatch.GetElapsedTime(host.WorkerStartedAt);
        Ok(ping, "GET /");
        if (!shape.Signed)
        {
            var rss = ServiceProcess.ReadRss(host.WorkerProcessId);
            ping.Dispose();
            return (toFirst.TotalMilliseconds, 0, rss);
        }

        using var request = ReadPhase.GetCall(new RequestSigner(host.HttpUri, settings.AccessKeyId, settings.SecretAccessKey), 0).ToRequest(host.HttpUri);
        var (answer, _) = await host.InvokeHttpAsync(shape.Function!, request);
        var toSigned = Stopwatch.GetElapsedTime(host.WorkerStartedAt);
        Ok(answer, "GetSecretValue");
        var megabytes = ServiceProcess.ReadRss(host.WorkerProcessId);
        ping.Dispose();
        answer.Dispose();
        return (toFirst.TotalMilliseconds, toSigned.TotalMilliseconds, megabytes);
    }

    private static void Ok(HttpResponseMessage response, string what)
    {
        if ((int)response.StatusCode != 200)
        {
            throw new InvalidOperationException($"The worker answered {what} with {(int)response.StatusCode}.");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Range(List<double> values) => $"{Report.N(values.Min())}–{Report.N(values.Max())}";
}
