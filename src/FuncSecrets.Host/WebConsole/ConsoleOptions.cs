namespace FuncSecrets.Host.WebConsole;

/// <summary>The web console's settings, from <c>FuncSecrets:Console</c>.</summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "FuncSecrets:Console";

    /// <summary>
    /// Serve the console at <c>/console</c> (default true). The console is static files: every call
    /// it makes is signed in the browser with the user's own key, so it opens no second way in;
    /// switch it off where no one should browse the service.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
