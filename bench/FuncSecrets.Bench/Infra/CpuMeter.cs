using System.Globalization;

namespace FuncSecrets.Bench.Infra;

/// <summary>
/// CPU time a process has used (user + system, from /proc/&lt;pid&gt;/stat), so a run can say
/// where the shared cores went: the service, Azurite, or the load generator.
/// </summary>
public static class CpuMeter
{
    /// <summary>Linux's USER_HZ: /proc reports CPU time in these ticks (100 on every mainstream kernel).</summary>
    private const double TicksPerSecond = 100.0;

    public static TimeSpan Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces; the fields after its closing ')' do not.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>CPU used by each of <paramref name="pids"/> while <paramref name="run"/> ran.</summary>
    public static async Task<(T Result, TimeSpan[] Cpu)> MeasureAsync<T>(int[] pids, Func<Task<T>> run)
    {
        var before = pids.Select(Read).ToArray();
        var result = await run();
        var after = pids.Select(Read).ToArray();
        return (result, [.. after.Zip(before, (a, b) => a - b)]);
    }
}
