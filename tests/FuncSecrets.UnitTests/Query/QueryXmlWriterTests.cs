using System.Text;
using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Operations;
using FuncSecrets.Host.Protocol;
using FuncSecrets.Host.Protocol.Query;
using FuncSecrets.TestSupport.Query;
using FuncSecrets.UnitTests.Query.Support;

namespace FuncSecrets.UnitTests.Query;

/// <summary>Typed responses and errors → the Query protocol's XML documents.</summary>
public sealed class QueryXmlWriterTests
{
    private const string RequestId = "4f8e2f4a-0000-4000-8000-000000000001";
    private static readonly XNamespace Ns = QueryXmlWriter.Namespace;

    public static TheoryData<string> Operations() => [.. OperationTable.Operations.Keys.Order()];

    /// <summary>Parses strictly (no DTD, whitespace kept), as a client's XML parser would.</summary>
    private static XDocument Parse(byte[] xml)
    {
        using var reader = XmlReader.Create(new MemoryStream(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, CheckCharacters = true });
        return XDocument.Load(reader, LoadOptions.PreserveWhitespace);
    }

    private static XElement Result(string operation, object response) =>
        Parse(QueryXmlWriter.Response(OperationTable.Operations[operation], response, RequestId)).Root!.Element(Ns + operation + "Result")!;

    [Theory]
    [MemberData(nameof(Operations))]
    public void Response_EveryMemberOfEveryOperation_ReadsBackAsTheJsonDoorsAnswer(string name)
    {
        var operation = OperationTable.Operations[name];
        var shape = WireShape.Of(operation.ResponseInfo);
        var expected = QueryReference.Normalize(ShapeSamples.Sample(shape, name).ToJsonString(), operation.ResponseInfo);
        var response = JsonSerializer.Deserialize(expected, operation.ResponseInfo)!;

        var document = Parse(QueryXmlWriter.Response(operation, response, RequestId));

        var root = document.Root!;
        Assert.Equal(Ns + name + "Response", root.Name);
        Assert.Equal(RequestId, root.Element(Ns + "ResponseMetadata")?.Element(Ns + "RequestId")?.Value);
        var result = root.Element(Ns + name + "Result");
        if (shape.Info!.Properties.Count == 0)
        {
            Assert.Null(result);
            Assert.Equal(["ResponseMetadata"], root.Elements().Select(e => e.Name.LocalName));
            return;
        }

        Assert.Equal([name + "Result", "ResponseMetadata"], root.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(expected, QueryReference.Normalize(QueryReference.Read(result!, shape).ToJsonString(), operation.ResponseInfo));
    }

    [Fact]
    public void Response_DescribeSecret_WritesMapsListsTimestampsAndBooleansAsAwsDoes()
    {
        var response = new DescribeSecretResponse
        {
            ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:a-AbCdEf",
            Name = "a",
            RotationEnabled = false,
            CreatedDate = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
            LastChangedDate = DateTimeOffset.FromUnixTimeMilliseconds(1704067200123),
            Tags = [new Tag("k", "v")],
            VersionIdsToStages = new() { ["v1"] = ["AWSCURRENT", "custom"] },
        };

        var xml = Encoding.UTF8.GetString(QueryXmlWriter.Response(OperationTable.Operations["DescribeSecret"], response, RequestId));

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?><DescribeSecretResponse xmlns=\"https://secretsmanager.amazonaws.com/doc/2017-10-17/\"><DescribeSecretResult>", xml);
        Assert.Contains("<RotationEnabled>false</RotationEnabled>", xml);
        Assert.Contains("<CreatedDate>2024-01-01T00:00:00.000Z</CreatedDate>", xml);
        Assert.Contains("<LastChangedDate>2024-01-01T00:00:00.123Z</LastChangedDate>", xml);
        Assert.Contains("<Tags><member><Key>k</Key><Value>v</Value></member></Tags>", xml);
        Assert.Contains("<VersionIdsToStages><entry><key>v1</key><value><member>AWSCURRENT</member><member>custom</member></value></entry></VersionIdsToStages>", xml);
        Assert.EndsWith($"</DescribeSecretResult><ResponseMetadata><RequestId>{RequestId}</RequestId></ResponseMetadata></DescribeSecretResponse>", xml);
        Assert.DoesNotContain("Description", xml);
    }

    [Fact]
    public void Response_EmptyList_IsAnEmptyElement()
    {
        var xml = Encoding.UTF8.GetString(QueryXmlWriter.Response(OperationTable.Operations["DescribeSecret"], new DescribeSecretResponse { Name = "a", Tags = [] }, RequestId));

        Assert.Contains("<Tags />", xml);
    }

    [Fact]
    public void Response_Blob_IsBase64()
    {
        var result = Result("GetSecretValue", new GetSecretValueResponse { SecretBinary = [0, 1, 0xFB, 0xFF] });

        Assert.Equal("AAH7/w==", result.Element(Ns + "SecretBinary")!.Value);
    }

    [Theory]
    [InlineData("<tag attr=\"v\">&amp; 'q'</tag>")]
    [InlineData("]]><![CDATA[x]]>")]
    [InlineData("line1\r\nline2\rline3\n\ttabbed  ")]
    [InlineData("   ")]
    [InlineData("é 😀 \uFFFD \uE000")]
    public void Response_SecretStringWithMarkupOrWhitespace_RoundTripsExactly(string value)
    {
        var bytes = QueryXmlWriter.Response(OperationTable.Operations["GetSecretValue"], new GetSecretValueResponse { SecretString = value }, RequestId);

        Assert.Equal(value, Parse(bytes).Root!.Element(Ns + "GetSecretValueResult")!.Element(Ns + "SecretString")!.Value);
        Assert.DoesNotContain("<tag", Encoding.UTF8.GetString(bytes));
    }

    // Built at run time and not enumerated at discovery: attribute arguments and xunit's
    // serialized theory data are UTF-8, which turns a lone surrogate into U+FFFD on the way.
    public static TheoryData<string> Unrepresentable() => ["a\0b", "\u0001", "\u0008", "\u000B", "\uFFFE", "\uFFFF"];

    public static TheoryData<string> LoneSurrogates() =>
        ["lone " + (char)0xD800 + " high", "lone " + (char)0xDC00 + " low", new string([(char)0xDE00, (char)0xD83D])];

    [Theory]
    [MemberData(nameof(Unrepresentable), DisableDiscoveryEnumeration = true)]
    public void Response_ValueXmlCannotCarry_ReturnsInvalidRequestPointingToJson(string value)
    {
        var error = Assert.Throws<AwsException>(() =>
            QueryXmlWriter.Response(OperationTable.Operations["GetSecretValue"], new GetSecretValueResponse { Name = "n", SecretString = value }, RequestId));

        Assert.Equal(("InvalidRequestException", 400), (error.Code, error.StatusCode));
        Assert.Contains("JSON 1.1 protocol", error.Message);
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LoneSurrogates), DisableDiscoveryEnumeration = true)]
    public void Response_LoneSurrogate_IsReplacedExactlyAsTheJsonDoorReplacesIt(string value)
    {
        // No request can store one (both decoders only produce valid UTF-16), and the response
        // passes through the JSON serializer first, which writes U+FFFD for it in both doors.
        var operation = OperationTable.Operations["GetSecretValue"];
        var response = new GetSecretValueResponse { SecretString = value };
        var json = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(response, operation.ResponseInfo)).RootElement.GetProperty("SecretString").GetString();

        var xml = Parse(QueryXmlWriter.Response(operation, response, RequestId)).Root!.Element(Ns + "GetSecretValueResult")!.Element(Ns + "SecretString")!.Value;

        Assert.Equal(json, xml);
        Assert.Contains('\uFFFD', xml);
    }

    [Fact]
    public void Response_MetadataXmlCannotCarry_IsEncodedNotRefused_Issue11()
    {
        // One stored version id or label must not make DescribeSecret/ListSecrets fail for everyone.
        var response = new DescribeSecretResponse { Description = "d\u0001", VersionIdsToStages = new() { ["v\u0002"] = ["L\u0000"] } };

        var xml = Encoding.UTF8.GetString(QueryXmlWriter.Response(OperationTable.Operations["DescribeSecret"], response, RequestId));

        Assert.Contains("<key>v\uFFFD</key>", xml, StringComparison.Ordinal);
        Assert.Contains("<member>L\uFFFD</member>", xml, StringComparison.Ordinal);
        Assert.Contains("<Description>d\uFFFD</Description>", xml, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "Sender")]
    [InlineData(500, "Receiver")]
    [InlineData(503, "Receiver")]
    public void Error_ClientOrServerFault_WritesTheErrorResponseDocument(int status, string type)
    {
        var document = Parse(QueryXmlWriter.Error(new AwsException("ResourceNotFoundException", "Secrets Manager can't find the specified secret.", status), RequestId));

        var root = document.Root!;
        Assert.Equal(Ns + "ErrorResponse", root.Name);
        Assert.Equal(["Error", "RequestId"], root.Elements().Select(e => e.Name.LocalName));
        var error = root.Element(Ns + "Error")!;
        Assert.Equal(["Type", "Code", "Message"], error.Elements().Select(e => e.Name.LocalName));
        Assert.Equal((type, "ResourceNotFoundException", "Secrets Manager can't find the specified secret."),
            (error.Element(Ns + "Type")!.Value, error.Element(Ns + "Code")!.Value, error.Element(Ns + "Message")!.Value));
        Assert.Equal(RequestId, root.Element(Ns + "RequestId")!.Value);
    }

    [Fact]
    public void Error_MessageWithMarkupAndInvalidCharacters_IsEscapedAndSanitized()
    {
        var document = Parse(QueryXmlWriter.Error(AwsErrors.InvalidAction("<Get&\0>", "2017-10-17"), RequestId));

        Assert.Equal("Could not find operation <Get&\uFFFD> for version 2017-10-17", document.Root!.Element(Ns + "Error")!.Element(Ns + "Message")!.Value);
    }

    [Fact]
    public void Error_EmptyMessage_StillHasAMessageElement()
    {
        var document = Parse(QueryXmlWriter.Error(AwsErrors.UnknownOperation(), RequestId));

        Assert.Equal(string.Empty, document.Root!.Element(Ns + "Error")!.Element(Ns + "Message")!.Value);
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("tab\tcr\rlf\n")]
    [InlineData("😀 \uE000 \uFFFD \uD7FF")]
    public void XmlChars_IsRepresentable_AcceptsXml10Chars(string text) =>
        Assert.True(XmlChars.IsRepresentable(text));

    [Theory]
    [MemberData(nameof(Unrepresentable), DisableDiscoveryEnumeration = true)]
    [MemberData(nameof(LoneSurrogates), DisableDiscoveryEnumeration = true)]
    public void XmlChars_IsRepresentable_RefusesOthersAndSanitizeReplacesThem(string text)
    {
        Assert.False(XmlChars.IsRepresentable(text));
        Assert.True(XmlChars.IsRepresentable(XmlChars.Sanitize(text)));
        Assert.Contains('\uFFFD', XmlChars.Sanitize(text));
    }

    [Fact]
    public void XmlChars_Sanitize_KeepsValidPairsWhole() =>
        Assert.Equal("😀\uFFFDx", XmlChars.Sanitize("😀" + (char)0xDC00 + "x"));
}
