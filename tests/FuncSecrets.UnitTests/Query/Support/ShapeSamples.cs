using System.Text.Json.Nodes;
using FuncSecrets.Host.Protocol.Query;

namespace FuncSecrets.UnitTests.Query.Support;

/// <summary>
/// A fully populated sample of any shape, built by walking its metadata independently of the
/// code under test, so every operation is checked without hand-written cases per operation
/// (encoded and read back with <see cref="FuncSecrets.TestSupport.Query.QueryReference"/>).
/// </summary>
public static class ShapeSamples
{
    /// <summary>Characters XML must escape, a non-ASCII letter and a supplementary character.</summary>
    public const string Awkward = " <a href=\"x\">&amp;</a> 'q' é 😀";

    /// <summary>Bytes whose base64 holds '+' and '/' (which must be %2B / %2F in a URL).</summary>
    public static readonly string BlobBase64 = Convert.ToBase64String(new byte[] { 0, 1, 0xFB, 0xFF, 0x3E });

    public static JsonNode Sample(WireShape shape, string name, int depth = 0) => shape.Kind switch
    {
        WireKind.String => JsonValue.Create(name + Awkward),
        WireKind.Boolean => JsonValue.Create(true),
        WireKind.Integer => JsonValue.Create(7),
        WireKind.Float => JsonValue.Create(1.5m),
        WireKind.Blob => JsonValue.Create(BlobBase64),
        WireKind.Timestamp => JsonValue.Create(1704067200.5m),
        // A recursive shape stops three levels down by leaving out its nested structures (an
        // empty structure has no Query form at all: it sends no parameter).
        WireKind.Structure => new JsonObject(shape.Info!.Properties
            .Select(p => (p.Name, Shape: WireShape.Of(p.PropertyType, shape.Info.Options)))
            .Where(p => depth < 3 || p.Shape.Kind != WireKind.Structure)
            .Select(p => KeyValuePair.Create(p.Name, (JsonNode?)Sample(p.Shape, p.Name, depth + 1)))),
        WireKind.List => new JsonArray(Sample(shape.Element, name + "1", depth + 1), Sample(shape.Element, name + "2", depth + 1)),
        WireKind.Map => new JsonObject
        {
            ["k1" + Awkward] = Sample(shape.Element, name + "v1", depth + 1),
            ["k2"] = Sample(shape.Element, name + "v2", depth + 1),
        },
        _ => throw new NotSupportedException(shape.Kind.ToString()),
    };
}
