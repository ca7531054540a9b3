using System.Globalization;
using System.Text.Json;
using FuncSecrets.Core.Audit;
using FuncSecrets.Core.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FuncSecrets.Host.Audit;

/// <summary>
/// <c>FuncSecrets.Host audit [--since 1h|30m|2d|ISO-time] [--until ...] [--secret NAME|ARN] [--json]</c>:
/// prints the audit trail from its CloudTrail-format files, as a table or as JSON lines.
/// </summary>
public static class AuditCommand
{
    public static bool IsInvoked(string[] args) => args.Length > 0 && args[0] == "audit";

    /// <summary>
    /// Runs the command with only what reading the audit files needs: the configuration and the
    /// storage settings (issue 11). No access keys, wrapping keys or Functions settings are read,
    /// so an operator can read the trail with storage access alone.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(builder.Configuration.GetSection(Core.ServiceOptions.SectionName).Get<Core.ServiceOptions>() ?? new Core.ServiceOptions());
        Hosting.StorageSetup.Add(builder.Services, builder.Configuration);
        AuditSetup.Add(builder.Services, builder.Configuration);
        await using var app = builder.Build();
        return await RunAsync(args, app.Services, output);
    }

    public static async Task<int> RunAsync(string[] args, IServiceProvider services, TextWriter output)
    {
        var time = services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow();
        DateTimeOffset since = now.AddHours(-1);
        var until = now;
        string? secret = null;
        var json = false;
        for (var i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--since" when i + 1 < args.Length:
                    since = ParseTime(args[++i], now);
                    break;
                case "--until" when i + 1 < args.Length:
                    until = ParseTime(args[++i], now);
                    break;
                case "--secret" when i + 1 < args.Length:
                    secret = args[++i];
                    break;
                case "--json":
                    json = true;
                    break;
                default:
                    await output.WriteLineAsync("usage: audit [--since 1h|30m|2d|<ISO time>] [--until ...] [--secret NAME|ARN] [--json]");
                    return 2;
            }
        }

        var store = services.GetRequiredService<IAuditStore>();
        if (!json)
        {
            await output.WriteLineAsync($"{"time (UTC)",-24} {"operation",-26} {"principal",-40} {"source",-15} {"resource / error",-60}");
        }

        var count = 0;
        await foreach (var record in store.ReadAsync(since, until, secret, CancellationToken.None))
        {
            count++;
            if (json)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(record, AuditJsonContext.Default.AuditRecord));
                continue;
            }

            // Recorded fields came from requests: escaped, so none can print a forged line.
            var outcome = LogText.Escape(record.ErrorCode is null ? record.Resource : $"{record.ErrorCode}: {record.Resource}");
            await output.WriteLineAsync($"{record.EventTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),-24} {LogText.Escape(record.EventName),-26} {LogText.Escape(record.PrincipalArn ?? "-"),-40} {LogText.Escape(record.SourceIp ?? "-"),-15} {outcome,-60}");
        }

        if (!json)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{count} records"));
        }

        return 0;
    }

    /// <summary>A relative age (<c>90s</c>, <c>30m</c>, <c>1h</c>, <c>2d</c>) or an absolute ISO 8601 time.</summary>
    public static DateTimeOffset ParseTime(string text, DateTimeOffset now)
    {
        if (text.Length > 1 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            switch (text[^1])
            {
                case 's': return now.AddSeconds(-amount);
                case 'm': return now.AddMinutes(-amount);
                case 'h': return now.AddHours(-amount);
                case 'd': return now.AddDays(-amount);
            }
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(AuditRecord))]
internal sealed partial class AuditJsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
}
