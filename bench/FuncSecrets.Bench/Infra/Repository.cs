using System.Globalization;

namespace FuncSecrets.Bench.Infra;

/// <summary>Where the repository is, and what the machine is, for the report.</summary>
public static class Repository
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FuncSecrets.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No FuncSecrets.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The framework-dependent standalone server as <c>dotnet build -c Release</c> leaves it.</summary>
    public static string HostDll(string root) =>
        Path.Combine(root, "src", "FuncSecrets.Server", "bin", "Release", "net10.0", "FuncSecrets.Server.dll");

    /// <summary>The isolated worker's build output (what `func` starts: <c>dotnet FuncSecrets.Functions.dll</c>).</summary>
    public static string WorkerDirectory(string root) =>
        Path.Combine(root, "src", "FuncSecrets.Functions", "bin", "Release", "net10.0");

    /// <summary>The start-up phase's worker yardstick: an isolated worker with one HTTP function, as <c>dotnet build -c Release</c> leaves it.</summary>
    public static string EmptyWorkerDll(string root) =>
        Path.Combine(root, "bench", "FuncSecrets.Bench.EmptyWorker", "bin", "Release", "net10.0", "FuncSecrets.Bench.EmptyWorker.dll");

    /// <summary>The start-up phase's yardstick: CreateSlimBuilder and one MapGet.</summary>
    public static string EmptyAppDll(string root) =>
        Path.Combine(root, "bench", "FuncSecrets.Bench.EmptyApp", "bin", "Release", "net10.0", "FuncSecrets.Bench.EmptyApp.dll");

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    /// <summary>The 1, 5 and 15-minute load averages, as /proc/loadavg shows them.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static double MemoryGigabytes()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            return long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
