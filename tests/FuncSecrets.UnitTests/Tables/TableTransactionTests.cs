using System.Text;
using FuncSecrets.Azure.Tables;

namespace FuncSecrets.UnitTests.Tables;

public sealed class TableTransactionTests
{
    private const string Endpoint = "http://127.0.0.1:10002/devstoreaccount1";

    [Fact]
    public void BuildBody_MixedActions_WritesOneChangesetOfEmbeddedRequests()
    {
        var entity = new TableEntity("p", "meta");
        entity.Set("Name", "n");
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, entity),
            new(TableTransactionActionType.UpdateReplace, entity, "W/\"1\""),
            new(TableTransactionActionType.Delete, new TableEntity("p", "v:x")),
        ];

        var body = Encoding.UTF8.GetString(TableTransaction.BuildBody(
            actions, "batch_b", "changeset_c", _ => $"{Endpoint}/secrets", e => $"{Endpoint}/secrets(PartitionKey='{e.PartitionKey}',RowKey='{e.RowKey}')"));

        const string json = """{"PartitionKey":"p","RowKey":"meta","Name":"n"}""";
        var expected =
            "--batch_b\r\nContent-Type: multipart/mixed; boundary=changeset_c\r\n\r\n" +
            "--changeset_c\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            $"POST {Endpoint}/secrets HTTP/1.1\r\nAccept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0;\r\n" +
            $"Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n{json}\r\n" +
            "--changeset_c\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            $"PUT {Endpoint}/secrets(PartitionKey='p',RowKey='meta') HTTP/1.1\r\nAccept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0;\r\n" +
            $"If-Match: W/\"1\"\r\nContent-Type: application/json\r\n\r\n{json}\r\n" +
            "--changeset_c\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            $"DELETE {Endpoint}/secrets(PartitionKey='p',RowKey='v:x') HTTP/1.1\r\nAccept: application/json;odata=minimalmetadata\r\nDataServiceVersion: 3.0;\r\n" +
            "If-Match: *\r\n\r\n" +
            "--changeset_c--\r\n--batch_b--\r\n";
        Assert.Equal(expected, body);
    }

    [Fact]
    public void ParseResponse_AllSucceeded_ReturnsETagsInOrder()
    {
        var body =
            "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2\r\n\r\n" +
            "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 204 No Content\r\nContent-ID: 1\r\nETag: W/\"datetime'2024-05-01T12%3A00%3A00.1Z'\"\r\n\r\n\r\n" +
            "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 204 No Content\r\nContent-ID: 2\r\n\r\n\r\n" +
            "--changesetresponse_2--\r\n--batchresponse_1--\r\n";

        var result = TableTransaction.ParseResponse(body, 2);

        Assert.True(result.Succeeded);
        Assert.Equal(["W/\"datetime'2024-05-01T12%3A00%3A00.1Z'\"", null], result.ETags);
    }

    [Fact]
    public void ParseResponse_ErrorWithIndexPrefix_ReportsThatIndexStatusAndCode()
    {
        // The shape of "Sample error response" in "Performing entity group transactions".
        var body =
            "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_2\r\n\r\n" +
            "--changesetresponse_2\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 412 Precondition Failed\r\nContent-ID: 4\r\nContent-Type: application/json;odata=minimalmetadata;charset=utf-8\r\n\r\n" +
            "{\"odata.error\":{\"code\":\"UpdateConditionNotSatisfied\",\"message\":{\"lang\":\"en-US\",\"value\":\"1:The update condition specified in the request was not satisfied.\\nRequestId:x\\nTime:y\"}}}\r\n" +
            "--changesetresponse_2--\r\n--batchresponse_1--\r\n";

        var result = TableTransaction.ParseResponse(body, 3);

        Assert.False(result.Succeeded);
        Assert.Equal(1, result.FailedIndex);
        Assert.Equal(412, result.FailedStatus);
        Assert.Equal("UpdateConditionNotSatisfied", result.FailedErrorCode);
    }

    [Fact]
    public void ParseResponse_ErrorWithoutIndexPrefix_FallsBackOnContentId()
    {
        var body =
            "--changesetresponse_2\r\nContent-Type: application/http\r\n\r\n" +
            "HTTP/1.1 409 Conflict\r\nContent-ID: 3\r\n\r\n" +
            "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"The specified entity already exists.\"}}}\r\n" +
            "--changesetresponse_2--\r\n";

        var result = TableTransaction.ParseResponse(body, 5);

        Assert.Equal(2, result.FailedIndex);
        Assert.Equal(409, result.FailedStatus);
        Assert.Equal("EntityAlreadyExists", result.FailedErrorCode);
    }

    [Fact]
    public void ParseResponse_FewerResponsesThanOperations_Throws()
    {
        var body = "--c\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n--c--\r\n";

        Assert.Throws<FormatException>(() => TableTransaction.ParseResponse(body, 2));
    }
}
