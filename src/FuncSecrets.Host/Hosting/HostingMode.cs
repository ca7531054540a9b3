using System.Globalization;

namespace FuncSecrets.Host.Hosting;

/// <summary>
/// Standalone (<c>dotnet run</c>: listens where configured, runs the timer jobs itself) or
/// Functions custom handler (the host sets <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> and owns the timers).
/// </summary>
public sealed record HostingMode(string Name, string Urls, bool IsFunctionsHost)
{
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public static HostingMode Detect(IConfiguration configuration)
    {
        var port = configuration[CustomHandlerPortVariable];
        if (!string.IsNullOrEmpty(port))
        {
            // The Functions host talks to the handler over loopback only.
            var number = int.Parse(port, NumberStyles.None, CultureInfo.InvariantCulture);
            return new HostingMode("functions", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{number}"), true);
        }

        var urls = configuration["FuncSecrets:Urls"] ?? configuration["urls"]
            ?? string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{AppFactory.DefaultPort}");
        return new HostingMode("standalone", urls, false);
    }
}
