using System.Text.Json.Serialization;
using FuncSecrets.Core.Model;
using FuncSecrets.Host.Protocol.Json;

namespace FuncSecrets.UnitTests.Query.Support;

/// <summary>
/// A request shape using every wire form the Query decoder supports, including those no
/// Secrets Manager request has yet (maps, timestamps, doubles, nested lists), with the same
/// serializer options as the API's own context.
/// </summary>
public sealed class EveryFormRequest
{
    public string? Text { get; init; }
    public bool? Flag { get; init; }
    public int? Small { get; init; }
    public long? Big { get; init; }
    public double? Ratio { get; init; }
    public byte[]? Blob { get; init; }
    public DateTimeOffset? When { get; init; }
    public Inner? Nested { get; init; }
    public List<Tag>? Tags { get; init; }
    public List<List<string>>? Matrix { get; init; }
    public Dictionary<string, List<string>>? Stages { get; init; }
    public Dictionary<string, Inner>? Inners { get; init; }
}

public sealed record Inner(string? Name, List<string>? Values, Inner? Child);

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = false,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(EpochSecondsConverter)])]
[JsonSerializable(typeof(EveryFormRequest))]
internal sealed partial class TestShapesContext : JsonSerializerContext
{
}
