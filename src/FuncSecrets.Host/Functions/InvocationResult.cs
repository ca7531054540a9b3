using System.Text.Json.Serialization;

namespace FuncSecrets.Host.Functions;

/// <summary>
/// A custom handler's answer to a non-HTTP invocation, as the Functions host reads it
/// (<c>HttpScriptInvocationResult</c> in azure-functions-host): <c>Outputs</c> by output binding
/// name, <c>Logs</c> written to the invocation's log, and <c>ReturnValue</c> for a
/// <c>$return</c> binding. The timers have no output bindings, so only <c>Logs</c> carries
/// anything. The host reads the logs only from a 2xx answer.
/// </summary>
public sealed class InvocationResult
{
    public Dictionary<string, string> Outputs { get; init; } = [];

    public List<string> Logs { get; init; } = [];

    /// <summary>Always null (no <c>$return</c> binding), but sent, as the documented answer shape has it.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ReturnValue { get; init; }
}

/// <summary>Source-generated JSON for the invocation answer (no reflection at run time).</summary>
[JsonSerializable(typeof(InvocationResult))]
internal sealed partial class FunctionsJsonContext : JsonSerializerContext;
