using System.Globalization;

namespace FuncSecrets.Bench.Infra;

/// <summary>
/// Command line: <c>--seconds N</c> (length of one measured run, default 5), <c>--warm-up N</c> (seconds of
/// unmeasured load on each server before the reads phase measures it, default 2), <c>--rounds N</c>
/// (floor/service alternations per concurrency, default 3), <c>--connections 8,32,128</c>,
/// <c>--jobs-sizes 1000,10000</c>, <c>--list-sizes 1000,10000,100000</c>, <c>--r2r PATH</c> (a published
/// ReadyToRun FuncSecrets.Server to time the start of), <c>--r2r-worker PATH</c> (the same for the worker), <c>--r2r-empty-worker PATH</c> (and for the empty worker),
/// <c>--baseline-r2r PATH</c> / <c>--baseline-r2r-worker PATH</c> (the baseline's, in the start-up phase), <c>--startup-runs N</c> (measured starts of each shape, default 5),
/// <c>--startup-extra "label|path|NAME=VALUE,..."</c> (another shape to start, with extra environment), <c>--out FILE</c>, <c>--service-setting Key=value</c>, <c>--baseline DLL</c> (another server
/// build, e.g. the last custom-handler build, interleaved with this one in the reads and writes phases; repeatable, the writes phase takes every one), <c>--phases reads,writes,list,startup,counters,jobs</c>, <c>--quick</c> (a smoke run).
/// </summary>
public sealed class BenchOptions
{
    public TimeSpan RunLength { get; private set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Unmeasured load on each server build before the reads phase measures it (<c>--warm-up N</c>
    /// seconds). The default 2 s opens connections; tiered JIT goes on for ~30–60 s of a new
    /// process on this machine, so a long warm-up measures the steady state (docs/bench.md, issue 15).
    /// </summary>
    public TimeSpan ServiceWarmUp { get; private set; } = TimeSpan.FromSeconds(2);

    public int Rounds { get; private set; } = 3;

    public int[] Connections { get; private set; } = [8, 32, 128];

    public int[] JobSizes { get; private set; } = [1_000, 10_000];

    /// <summary>Store sizes the list phase measures at (issue 13).</summary>
    public int[] ListSizes { get; private set; } = [1_000, 10_000, 100_000];

    public int StartupRuns { get; private set; } = 5;

    public string? ReadyToRunHost { get; private set; }

    /// <summary>The isolated worker as scripts/package.sh publishes it (ReadyToRun), its <c>FuncSecrets.Functions.dll</c> (<c>--r2r-worker PATH</c>).</summary>
    public string? ReadyToRunWorker { get; private set; }

    /// <summary>The empty isolated worker published as scripts/package.sh publishes the worker (<c>--r2r-empty-worker PATH</c>, its dll).</summary>
    public string? ReadyToRunEmptyWorker { get; private set; }

    /// <summary>
    /// The baseline's ReadyToRun builds for the start-up phase (<c>--baseline-r2r PATH</c>, the
    /// self-contained server executable; <c>--baseline-r2r-worker PATH</c>, the worker's dll):
    /// scripts/bench.sh publishes them with <c>--baseline-ref</c>.
    /// </summary>
    public string? BaselineReadyToRunHost { get; private set; }

    public string? BaselineReadyToRunWorker { get; private set; }

    /// <summary>
    /// More shapes for the start-up phase, for a same-run A/B of a publish setting or a runtime
    /// knob (<c>--startup-extra "label|path|NAME=VALUE,..."</c>, repeatable): a server executable
    /// or dll, or a worker's <c>FuncSecrets.Functions.dll</c>, started with the extra environment.
    /// </summary>
    public List<(string Label, string Program, Dictionary<string, string> Environment)> StartupExtras { get; } = [];

    public string? OutputFile { get; private set; }

    /// <summary>
    /// Another build of the server (a <c>.dll</c> run under <c>dotnet</c>, or an executable) to
    /// compare with this one: in the reads phase it runs beside it on the same Azurite and tables,
    /// and floor, baseline and this build take turns at each concurrency.
    /// </summary>
    public string? BaselineHost => Baselines.Count > 0 ? Baselines[0].Dll : null;

    /// <summary>What the baseline is called in the report (<c>--baseline-name</c>), e.g. the git ref it was built from.</summary>
    public string BaselineName => Baselines.Count > 0 ? Baselines[0].Name : "baseline";

    /// <summary>
    /// Every build given with <c>--baseline DLL</c> (repeatable; <c>--baseline-name</c> names the
    /// one before it). The reads phase compares with the first; the writes phase with all of them.
    /// </summary>
    public List<(string Name, string Dll)> Baselines { get; } = [];

    /// <summary>
    /// Extra service settings (<c>--service-setting Section:Key=value</c>, repeatable), to compare
    /// configurations, e.g. <c>Logging:LogLevel:Default=Warning</c>.
    /// </summary>
    public Dictionary<string, string> ServiceSettings { get; } = new(StringComparer.Ordinal);

    /// <summary>Which parts run (default all): reads, writes, list, startup, counters, jobs.</summary>
    public string[] Phases { get; private set; } = ["reads", "writes", "list", "startup", "counters", "jobs"];

    public bool Runs(string phase) => Phases.Contains(phase, StringComparer.Ordinal);

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--seconds":
                    options.RunLength = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--warm-up":
                    options.ServiceWarmUp = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture));
                    break;
                case "--rounds":
                    options.Rounds = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--connections":
                    options.Connections = Ints(Value());
                    break;
                case "--jobs-sizes":
                    options.JobSizes = Ints(Value());
                    break;
                case "--list-sizes":
                    options.ListSizes = Ints(Value());
                    break;
                case "--startup-runs":
                    options.StartupRuns = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--r2r":
                    options.ReadyToRunHost = Value();
                    break;
                case "--r2r-worker":
                    options.ReadyToRunWorker = Path.GetFullPath(Value());
                    break;
                case "--r2r-empty-worker":
                    options.ReadyToRunEmptyWorker = Path.GetFullPath(Value());
                    break;
                case "--baseline-r2r":
                    options.BaselineReadyToRunHost = Path.GetFullPath(Value());
                    break;
                case "--baseline-r2r-worker":
                    options.BaselineReadyToRunWorker = Path.GetFullPath(Value());
                    break;
                case "--startup-extra":
                    var parts = Value().Split('|');
                    var environment = (parts.Length > 2 ? parts[2] : string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries)
                        .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
                    options.StartupExtras.Add((parts[0], Path.GetFullPath(parts[1]), environment));
                    break;
                case "--phases":
                    options.Phases = Value().Split(',', StringSplitOptions.RemoveEmptyEntries);
                    break;
                case "--service-setting":
                    var pair = Value().Split('=', 2);
                    options.ServiceSettings[pair[0]] = pair.Length > 1 ? pair[1] : string.Empty;
                    break;
                case "--baseline":
                    options.Baselines.Add(($"baseline {options.Baselines.Count + 1}", Path.GetFullPath(Value())));
                    break;
                case "--baseline-name":
                    var named = options.Baselines.Count > 0 ? options.Baselines.Count - 1 : throw new ArgumentException("--baseline-name names the --baseline before it.");
                    options.Baselines[named] = (Value(), options.Baselines[named].Dll);
                    break;
                case "--out":
                    options.OutputFile = Value();
                    break;
                case "--quick":
                    options.RunLength = TimeSpan.FromSeconds(1);
                    options.Rounds = 1;
                    options.JobSizes = [100, 1_000];
                    options.ListSizes = [500, 2_000];
                    options.StartupRuns = 1;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        return options;
    }

    private static int[] Ints(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
}
