namespace FuncSecrets.EndToEndTests.Support;

/// <summary>A script in <c>tests/clients</c> and the interpreter that runs it.</summary>
public sealed record ClientScenario(string Name, string Interpreter, string Script, TimeSpan Timeout);

/// <summary>
/// The scripts the end-to-end run drives the service with. Each takes the endpoint, a unique name
/// prefix and the run's canary, and exits 0 only when every check passed.
/// </summary>
public static class ClientScenarios
{
    private static readonly TimeSpan ScenarioTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The AWS CLI on PATH (<c>AWS_CLI</c> in the environment picks another). It starts one Python
    /// process per call (~110 in all, about a second each on a busy machine), hence the longer limit.
    /// </summary>
    public static readonly ClientScenario AwsCli = new("cli", "bash", "cli_scenario.sh", TimeSpan.FromMinutes(6));

    public static readonly ClientScenario Boto3 = new("boto3", "python3", "boto3_scenario.py", ScenarioTimeout);

    /// <summary>The AWS SDK for JavaScript v3, resolved from the repository's node_modules.</summary>
    public static readonly ClientScenario JsSdkV3 = new("js", "node", "js_scenario.mjs", ScenarioTimeout);

    /// <summary>Behaviours easy to get wrong, each tagged with its evidence.</summary>
    public static readonly ClientScenario Boto3EdgeCases = new("edge", "python3", "boto3_edge_cases.py", ScenarioTimeout);

    /// <summary>32 parallel PutSecretValue calls on one secret, from boto3 threads.</summary>
    public static readonly ClientScenario ConcurrentPut = new("concurrency", "python3", "concurrent_put.py", ScenarioTimeout);

    public static readonly IReadOnlyList<ClientScenario> All = [AwsCli, Boto3, JsSdkV3, Boto3EdgeCases, ConcurrentPut];
}
