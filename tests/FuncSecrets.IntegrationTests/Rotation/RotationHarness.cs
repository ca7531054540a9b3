namespace FuncSecrets.IntegrationTests.Rotation;

/// <summary>Settings rotation tests start the app with: loopback functions allowed, short limits.</summary>
public static class RotationHarness
{
    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FuncSecrets:Rotation:AllowHttpLoopback"] = "true",
            ["FuncSecrets:Rotation:StepTimeout"] = "00:00:02",
            ["FuncSecrets:Rotation:MaxAttempts"] = "2",
            ["FuncSecrets:Rotation:CallRetryDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
