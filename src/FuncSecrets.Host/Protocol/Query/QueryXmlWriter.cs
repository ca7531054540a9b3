using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Xml;
using FuncSecrets.Core.Errors;

namespace FuncSecrets.Host.Protocol.Query;

/// <summary>
/// The Query protocol's XML documents. A response object is first serialized with the
/// operation's source-generated <c>ResponseInfo</c> (so absent members are left out exactly as
/// in JSON), then that JSON is walked with the same type metadata: structures become child
/// elements, lists <c>&lt;member&gt;</c> items, maps <c>&lt;entry&gt;&lt;key/&gt;&lt;value/&gt;&lt;/entry&gt;</c>,
/// timestamps ISO 8601 UTC with milliseconds, blobs base64, booleans <c>true</c>/<c>false</c>.
/// </summary>
public static class QueryXmlWriter
{
    /// <summary>The XML namespace of Secrets Manager's Query documents.</summary>
    public const string Namespace = "https://secretsmanager.amazonaws.com/doc/2017-10-17/";

    public const string ContentType = "text/xml";

    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    // The member that carries a secret's value (GetSecretValue, BatchGetSecretValue's entries).
    private const string SecretValueMember = "SecretString";

    private static readonly XmlWriterSettings Settings = new()
    {
        Encoding = new UTF8Encoding(false),
        Indent = false,

        // A character XML cannot carry throws instead of being written (a safety net: values are
        // checked first so the caller gets a clear 400).
        CheckCharacters = true,

        // CR would otherwise reach a reader as LF (XML end-of-line normalization) and a secret
        // value holding "\r\n" would come back changed; as &#xD; it survives.
        NewLineHandling = NewLineHandling.Entitize,
    };

    /// <summary>
    /// <c>&lt;{Op}Response&gt;&lt;{Op}Result&gt;…&lt;/{Op}Result&gt;&lt;ResponseMetadata&gt;…</c>; an operation
    /// with no output members (TagResource, UntagResource) has no Result element, as in AWS's
    /// Query services. Throws <see cref="AwsErrors.QueryValueNotRepresentable"/> for a value XML
    /// cannot carry, before anything is sent.
    /// </summary>
    public static byte[] Response(OperationEntry operation, object response, string requestId)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(response);
        var json = JsonSerializer.SerializeToElement(response, operation.ResponseInfo);
        var shape = WireShape.Of(operation.ResponseInfo);
        return Document(xml =>
        {
            xml.WriteStartElement(operation.Name + "Response", Namespace);
            if (shape.Info!.Properties.Count > 0)
            {
                xml.WriteStartElement(operation.Name + "Result", Namespace);
                WriteMembers(xml, json, shape);
                xml.WriteEndElement();
            }

            xml.WriteStartElement("ResponseMetadata", Namespace);
            xml.WriteElementString("RequestId", Namespace, requestId);
            xml.WriteEndElement();
            xml.WriteEndElement();
        });
    }

    /// <summary>
    /// <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type&gt;Sender|Receiver&lt;/Type&gt;&lt;Code/&gt;&lt;Message/&gt;&lt;/Error&gt;&lt;RequestId/&gt;</c>.
    /// A message that names a caller's input is sanitized rather than refused: an error must
    /// always be sendable.
    /// </summary>
    public static byte[] Error(AwsException error, string requestId)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Document(xml =>
        {
            xml.WriteStartElement("ErrorResponse", Namespace);
            xml.WriteStartElement("Error", Namespace);
            xml.WriteElementString("Type", Namespace, error.IsClientFault ? "Sender" : "Receiver");
            xml.WriteElementString("Code", Namespace, XmlChars.Sanitize(error.Code));
            xml.WriteElementString("Message", Namespace, XmlChars.Sanitize(error.Message));
            xml.WriteEndElement();
            xml.WriteElementString("RequestId", Namespace, requestId);
            xml.WriteEndElement();
        });
    }

    /// <summary>ISO 8601 UTC with milliseconds, e.g. <c>2024-01-01T00:00:00.000Z</c>.</summary>
    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private static byte[] Document(Action<XmlWriter> body)
    {
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, Settings))
        {
            xml.WriteStartDocument();
            body(xml);
            xml.WriteEndDocument();
        }

        return stream.ToArray();
    }

    private static void WriteMembers(XmlWriter xml, JsonElement structure, WireShape shape)
    {
        var properties = shape.Info!.Properties;
        foreach (var member in structure.EnumerateObject())
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.Name, member.Name, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"{shape.Type.Name} serialized a member its metadata does not list.");
            WriteValue(xml, member.Name, member.Value, WireShape.Of(property.PropertyType, shape.Info.Options));
        }
    }

    private static void WriteValue(XmlWriter xml, string element, JsonElement value, WireShape shape)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        xml.WriteStartElement(element, Namespace);
        switch (shape.Kind)
        {
            case WireKind.Structure:
                WriteMembers(xml, value, shape);
                break;
            case WireKind.List:
                var item = shape.Element;
                foreach (var entry in value.EnumerateArray())
                {
                    WriteValue(xml, "member", entry, item);
                }

                break;
            case WireKind.Map:
                var mapValue = shape.Element;
                foreach (var entry in value.EnumerateObject())
                {
                    xml.WriteStartElement("entry", Namespace);
                    xml.WriteElementString("key", Namespace, XmlChars.Sanitize(entry.Name));
                    WriteValue(xml, "value", entry.Value, mapValue);
                    xml.WriteEndElement();
                }

                break;
            case WireKind.Timestamp:
                // The JSON form is EpochSecondsConverter's: seconds with milliseconds as the fraction.
                xml.WriteString(FormatTimestamp(DateTimeOffset.FromUnixTimeMilliseconds((long)decimal.Round(value.GetDecimal() * 1000m))));
                break;
            case WireKind.Boolean:
                xml.WriteString(value.GetBoolean() ? "true" : "false");
                break;
            case WireKind.Integer:
            case WireKind.Float:
                xml.WriteString(value.GetRawText());
                break;
            default:
                // Strings, and blobs already in base64. Metadata is encoded (issue 11): one stored
                // value must not make a listing fail for everyone. A secret's own value is refused
                // instead, since an altered value would be worse than none.
                var text = value.GetString()!;
                xml.WriteString(element == SecretValueMember ? Checked(text) : XmlChars.Sanitize(text));
                break;
        }

        xml.WriteEndElement();
    }

    private static string Checked(string text) =>
        XmlChars.IsRepresentable(text) ? text : throw AwsErrors.QueryValueNotRepresentable();
}
