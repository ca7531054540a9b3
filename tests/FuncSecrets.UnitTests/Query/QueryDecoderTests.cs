using System.Text;
using System.Text.Json;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Operations;
using FuncSecrets.Host.Protocol;
using FuncSecrets.Host.Protocol.Query;
using FuncSecrets.TestSupport.Query;
using FuncSecrets.UnitTests.Query.Support;

namespace FuncSecrets.UnitTests.Query;

/// <summary>Query parameters → the operation's typed request, through the JSON door's own binding.</summary>
public sealed class QueryDecoderTests
{
    public static TheoryData<string> Operations() => [.. OperationTable.Operations.Keys.Order()];

    private static QueryParameters Params(string form) => new(QueryParameters.ParseUrlEncoded(form));

    private static T Decode<T>(string operation, string form) =>
        (T)QueryDecoder.Decode(Params(form), OperationTable.Operations[operation]);

    private static AwsException DecodeError(string operation, string form) =>
        Assert.Throws<AwsException>(() => QueryDecoder.Decode(Params(form), OperationTable.Operations[operation]));

    [Theory]
    [MemberData(nameof(Operations))]
    public void Decode_EveryMemberOfEveryOperation_EqualsTheJsonDoorsRequest(string name)
    {
        var operation = OperationTable.Operations[name];
        var shape = WireShape.Of(operation.RequestInfo);
        var sample = ShapeSamples.Sample(shape, name).ToJsonString();
        var form = QueryReference.FormEncode(QueryReference.Encode(System.Text.Json.Nodes.JsonNode.Parse(sample)!, shape));

        var json = QueryDecoder.ToJson(new QueryParameters(QueryParameters.ParseUrlEncoded(form)), operation.RequestInfo);

        Assert.Equal(QueryReference.Normalize(sample, operation.RequestInfo), QueryReference.Normalize(Encoding.UTF8.GetString(json), operation.RequestInfo));
    }

    [Fact]
    public void Decode_EveryWireForm_RoundTripsThroughTheTestShape()
    {
        var info = TestShapesContext.Default.EveryFormRequest;
        var shape = WireShape.Of(info);
        var sample = ShapeSamples.Sample(shape, "x").ToJsonString();
        var form = QueryReference.FormEncode(QueryReference.Encode(System.Text.Json.Nodes.JsonNode.Parse(sample)!, shape));

        var json = Encoding.UTF8.GetString(QueryDecoder.ToJson(Params(form), info));

        Assert.Equal(QueryReference.Normalize(sample, info), QueryReference.Normalize(json, info));
        Assert.Contains("Stages.entry.2.value.member.2=", form);
        Assert.Contains("Inners.entry.1.value.Child.Values.member.1=", form);
        Assert.Contains("Matrix.member.2.member.1=", form);
    }

    [Fact]
    public void Decode_BotocoreListSecretsForm_ReadsNestedFilterValues()
    {
        // Exactly what botocore's QuerySerializer sends for Filters=[{Key: name, Values: [a, b]}].
        var request = Decode<ListSecretsRequest>("ListSecrets",
            "Action=ListSecrets&Version=2017-10-17&Filters.member.1.Key=name&Filters.member.1.Values.member.1=a&Filters.member.1.Values.member.2=b&MaxResults=3&IncludePlannedDeletion=true");

        var filter = Assert.Single(request.Filters!);
        Assert.Equal("name", filter.Key);
        Assert.Equal(["a", "b"], filter.Values!);
        Assert.Equal((3, true), (request.MaxResults, request.IncludePlannedDeletion));
    }

    [Fact]
    public void Decode_BotocoreCreateSecretForm_ReadsTagsBlobAndBoolean()
    {
        var request = Decode<CreateSecretRequest>("CreateSecret",
            "Action=CreateSecret&Version=2017-10-17&Name=a&SecretBinary=AAE%3D&Tags.member.1.Key=k&Tags.member.1.Value=v&AddReplicaRegions.member.1.Region=eu&ForceOverwriteReplicaSecret=false&ClientRequestToken=t");

        Assert.Equal(new byte[] { 0, 1 }, request.SecretBinary);
        Assert.Equal(("k", "v"), (request.Tags![0].Key, request.Tags[0].Value));
        Assert.Equal("eu", request.AddReplicaRegions![0].Region);
        Assert.False(request.ForceOverwriteReplicaSecret);
    }

    [Fact]
    public void Decode_ListItemsOutOfOrderWithGaps_AreReadInIndexOrder()
    {
        var request = Decode<UntagResourceRequest>("UntagResource", "SecretId=s&TagKeys.member.10=c&TagKeys.member.2=b&TagKeys.member.1=a");

        Assert.Equal(["a", "b", "c"], request.TagKeys!);
    }

    [Fact]
    public void Decode_EmptyListMarker_IsAnEmptyList()
    {
        // botocore serializes an empty list as "Tags=" in the Query protocol.
        var request = Decode<TagResourceRequest>("TagResource", "SecretId=x&Tags=");

        Assert.NotNull(request.Tags);
        Assert.Empty(request.Tags);
    }

    [Fact]
    public void Decode_UnknownAndProtocolParameters_AreIgnored()
    {
        var request = Decode<GetSecretValueRequest>("GetSecretValue",
            "Action=GetSecretValue&Version=2017-10-17&SecretId=s&Unknown.member.x=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00");

        Assert.Equal("s", request.SecretId);
    }

    [Fact]
    public void Decode_NamesDifferingInCase_AreNotMembers()
    {
        var request = Decode<GetSecretValueRequest>("GetSecretValue", "secretid=s&SECRETID=t");

        Assert.Null(request.SecretId);
    }

    [Fact]
    public void Decode_PercentEncodedValue_KeepsEveryCharacter()
    {
        var value = "a+b c&d=e%f<g>\r\n\"é😀";
        var request = Decode<PutSecretValueRequest>("PutSecretValue", "SecretId=s&SecretString=" + Uri.EscapeDataString(value));

        Assert.Equal(value, request.SecretString);
    }

    [Fact]
    public void Decode_PlusInForm_IsASpace()
    {
        var request = Decode<PutSecretValueRequest>("PutSecretValue", "SecretId=s&SecretString=a+b");

        Assert.Equal("a b", request.SecretString);
    }

    [Theory]
    [InlineData("TRUE", true)]
    [InlineData("false", false)]
    public void Decode_Booleans_AcceptTrueAndFalseInAnyCase(string text, bool expected)
    {
        var request = Decode<DeleteSecretRequest>("DeleteSecret", "SecretId=s&ForceDeleteWithoutRecovery=" + text);

        Assert.Equal(expected, request.ForceDeleteWithoutRecovery);
    }

    [Theory]
    [InlineData("DeleteSecret", "ForceDeleteWithoutRecovery=yes", "ForceDeleteWithoutRecovery", "true or false")]
    [InlineData("DeleteSecret", "ForceDeleteWithoutRecovery=", "ForceDeleteWithoutRecovery", "true or false")]
    [InlineData("DeleteSecret", "RecoveryWindowInDays=7.5", "RecoveryWindowInDays", "an integer")]
    [InlineData("DeleteSecret", "RecoveryWindowInDays=seven", "RecoveryWindowInDays", "an integer")]
    [InlineData("ListSecrets", "MaxResults=2147483648", "MaxResults", "an integer in range")]
    [InlineData("ListSecrets", "MaxResults=%20", "MaxResults", "an integer")]
    [InlineData("CreateSecret", "SecretBinary=a+b%3D", "SecretBinary", "base64 (send '+' as %2B)")]
    [InlineData("CreateSecret", "SecretBinary=%25%25", "SecretBinary", "base64 (send '+' as %2B)")]
    public void Decode_ValueNotOfItsType_ReturnsInvalidParameterValueNamingTheParameter(string operation, string form, string parameter, string expected)
    {
        var error = DecodeError(operation, "SecretId=s&" + form);

        Assert.Equal(("InvalidParameterValue", 400), (error.Code, error.StatusCode));
        Assert.Equal($"The value of parameter {parameter} is not valid: expected {expected}.", error.Message);
    }

    [Fact]
    public void Decode_BadValue_NeverEchoesTheValue()
    {
        var error = DecodeError("ListSecrets", "MaxResults=hunter2-secret");

        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Theory]
    [InlineData("TagKeys.member.0=a", "TagKeys.member.0 has an invalid index")]
    [InlineData("TagKeys.member.01=a", "TagKeys.member.01 has an invalid index")]
    [InlineData("TagKeys.member.x=a", "TagKeys.member.x has an invalid index")]
    [InlineData("TagKeys.member.-1=a", "TagKeys.member.-1 has an invalid index")]
    [InlineData("TagKeys.member.99999999999=a", "has an invalid index")]
    [InlineData("TagKeys.1=a", "The parameter TagKeys.1 is not valid: the items of TagKeys are TagKeys.member.N.")]
    [InlineData("TagKeys=a", "The parameter TagKeys is a list")]
    [InlineData("TagKeys.member=a", "The parameter TagKeys.member needs an index")]
    [InlineData("TagKeys.member.1=a&TagKeys.member.1=b", "The parameter TagKeys.member.1 appears more than once.")]
    [InlineData("TagKeys.member.1.Key=a", "The parameter TagKeys.member.1 is a single value and has no members.")]
    [InlineData("SecretId=s&SecretId=t", "The parameter SecretId appears more than once.")]
    public void Decode_MalformedQueryNames_ReturnInvalidQueryParameter(string form, string expected)
    {
        var error = DecodeError("UntagResource", form);

        Assert.Equal(("InvalidQueryParameter", 400), (error.Code, error.StatusCode));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Decode_StructureGivenAValue_ReturnsInvalidQueryParameter()
    {
        var error = DecodeError("CreateSecret", "Name=n&Tags.member.1=k");

        Assert.Equal("InvalidQueryParameter", error.Code);
        Assert.Equal("The parameter Tags.member.1 is a structure: send its members as Tags.member.1.<Member>.", error.Message);
    }

    [Fact]
    public void Decode_MapEntries_ReadKeysAndValuesAndRefuseRepeatedKeys()
    {
        var info = TestShapesContext.Default.EveryFormRequest;
        var request = JsonSerializer.Deserialize(
            QueryDecoder.ToJson(Params("Stages.entry.2.key=v2&Stages.entry.2.value.member.1=B&Stages.entry.1.key=v1&Stages.entry.1.value="), info), info)!;

        Assert.Equal(["v1", "v2"], request.Stages!.Keys.Order());
        Assert.Empty(request.Stages["v1"]);
        Assert.Equal(["B"], request.Stages["v2"]);

        var repeated = Assert.Throws<AwsException>(() => QueryDecoder.ToJson(Params("Stages.entry.1.key=a&Stages.entry.2.key=a"), info));
        Assert.Equal("The map Stages has the same key twice.", repeated.Message);
        var keyless = Assert.Throws<AwsException>(() => QueryDecoder.ToJson(Params("Stages.entry.1.value.member.1=a"), info));
        Assert.Equal("The map entry Stages.entry.1 has no Stages.entry.1.key.", keyless.Message);
    }

    [Theory]
    [InlineData("2024-01-01T00:00:00Z", 1704067200000)]
    [InlineData("2024-01-01T00:00:00.123Z", 1704067200123)]
    [InlineData("2024-01-01T02:00:00+02:00", 1704067200000)]
    [InlineData("1704067200.5", 1704067200500)]
    public void Decode_Timestamps_AcceptIso8601AndEpochSeconds(string text, long expectedMs)
    {
        var info = TestShapesContext.Default.EveryFormRequest;
        var request = JsonSerializer.Deserialize(QueryDecoder.ToJson(Params("When=" + Uri.EscapeDataString(text)), info), info)!;

        Assert.Equal(expectedMs, request.When!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Decode_TimestampNotIso8601_ReturnsInvalidParameterValue()
    {
        var error = Assert.Throws<AwsException>(() => QueryDecoder.ToJson(Params("When=yesterday"), TestShapesContext.Default.EveryFormRequest));

        Assert.Equal(("InvalidParameterValue", "The value of parameter When is not valid: expected an ISO 8601 timestamp such as 2024-01-01T00:00:00Z."), (error.Code, error.Message));
    }

    [Fact]
    public void Decode_NoParameters_IsTheEmptyRequest()
    {
        var request = Decode<ListSecretsRequest>("ListSecrets", string.Empty);

        Assert.Null(request.Filters);
        Assert.Null(request.MaxResults);
    }

    [Fact]
    public void WireShape_EveryShapeOfEveryOperation_HasAQueryForm()
    {
        static void Visit(WireShape shape, HashSet<Type> seen)
        {
            if (!seen.Add(shape.Type))
            {
                return;
            }

            switch (shape.Kind)
            {
                case WireKind.Structure:
                    foreach (var property in shape.Info!.Properties)
                    {
                        Visit(WireShape.Of(property.PropertyType, shape.Info.Options), seen);
                    }

                    break;
                case WireKind.List:
                case WireKind.Map:
                    Visit(shape.Element, seen);
                    break;
            }
        }

        var seen = new HashSet<Type>();
        foreach (var operation in OperationTable.Operations.Values)
        {
            Visit(WireShape.Of(operation.RequestInfo), seen);
            Visit(WireShape.Of(operation.ResponseInfo), seen);
        }

        Assert.Contains(typeof(DateTimeOffset), seen);
        Assert.Contains(typeof(byte[]), seen);
    }
}
