using FuncSecrets.Bench.Infra;
using FuncSecrets.Bench.Phases;

// The one-command benchmark (scripts/bench.sh runs it). Prints progress on stderr and the
// markdown report on stdout (and to --out FILE).
var options = BenchOptions.Parse(args);
var root = Repository.Root();
var report = new Report();
report.Line($"Machine: {Environment.ProcessorCount} cores ({Repository.CpuModel()}), {Repository.MemoryGigabytes():F0} GB RAM, "
    + $".NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}. Load generator, service and Azurite share these cores.");
report.Line($"Load average at start: {Repository.LoadAverage()} (other work on the machine skews every figure; the floor/service ratio is the robust one).");
if (options.ServiceSettings.Count > 0)
{
    report.Line("Service settings changed for this run: " + string.Join(", ", options.ServiceSettings.Select(p => $"`{p.Key}={p.Value}`")) + ".");
}

report.Line(string.Empty);

await using var azurite = await AzuriteProcess.StartAsync();
Report.Progress($"Azurite on 127.0.0.1:{azurite.Port}");
await new ServicePhases(root, azurite, options, report).RunAsync();
if (options.Runs("jobs"))
{
    report.Heading("Timer jobs: tick cost against secrets stored (10 due)");
    await new JobsPhase(azurite, options, report).RunAsync();
}

report.Line($"Load average at the end: {Repository.LoadAverage()}.");
var text = report.ToString();
Console.WriteLine(text);
if (options.OutputFile is { } file)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
    await File.WriteAllTextAsync(file, text);
}
