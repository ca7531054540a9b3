using System.Text.Json.Serialization;
using FuncSecrets.Core.Audit.Lookup;
using FuncSecrets.Host.Protocol.Json;

namespace FuncSecrets.Host.Protocol.CloudTrail;

/// <summary>Source-generated JSON for CloudTrail's <c>LookupEvents</c>, with the same wire rules as <see cref="ApiJsonContext"/>.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(LookupEventsRequest))]
[JsonSerializable(typeof(LookupEventsResponse))]
public sealed partial class CloudTrailJsonContext : JsonSerializerContext
{
    /// <summary>As <see cref="ApiJsonContext.Wire"/>: a protocol body, never embedded in HTML.</summary>
    public static CloudTrailJsonContext Wire { get; } = new(ApiJsonContext.WireOptions());
}
