using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace FuncSecrets.Host.Protocol.Query;

/// <summary>The Smithy shape kinds the Query protocol distinguishes on the wire.</summary>
public enum WireKind
{
    String,
    Boolean,
    Integer,
    Float,
    Blob,
    Timestamp,
    Structure,
    List,
    Map,
}

/// <summary>
/// What a member of a request or response shape is on the Query wire, read from the
/// source-generated <see cref="JsonTypeInfo"/> metadata the JSON door already uses. No reflection
/// and no per-operation code: a new operation in <see cref="OperationTable"/> is covered as soon
/// as its shapes are in <c>ApiJsonContext</c>.
/// </summary>
public readonly record struct WireShape(WireKind Kind, Type Type, JsonTypeInfo? Info)
{
    /// <summary>Element shape of a list, value shape of a map.</summary>
    public WireShape Element => Of(Info!.ElementType!, Info.Options);

    public static WireShape Of(JsonTypeInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return Of(info.Type, info.Options);
    }

    public static WireShape Of(Type type, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        var clr = Nullable.GetUnderlyingType(type) ?? type;
        if (Scalar(clr) is { } scalar)
        {
            return new WireShape(scalar, clr, null);
        }

        var info = options.GetTypeInfo(clr);
        return info.Kind switch
        {
            JsonTypeInfoKind.Object => new WireShape(WireKind.Structure, clr, info),
            JsonTypeInfoKind.Enumerable => new WireShape(WireKind.List, clr, info),

            // Query maps carry string keys only (Smithy map keys are strings).
            JsonTypeInfoKind.Dictionary when info.KeyType == typeof(string) => new WireShape(WireKind.Map, clr, info),
            _ => throw new NotSupportedException($"{clr.Name} has no Query wire form."),
        };
    }

    private static WireKind? Scalar(Type type)
    {
        if (type == typeof(string))
        {
            return WireKind.String;
        }

        if (type == typeof(bool))
        {
            return WireKind.Boolean;
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte))
        {
            return WireKind.Integer;
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return WireKind.Float;
        }

        if (type == typeof(byte[]))
        {
            return WireKind.Blob;
        }

        return type == typeof(DateTimeOffset) ? WireKind.Timestamp : null;
    }
}
