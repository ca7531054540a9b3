using System.Text;
using System.Text.Json;
using FuncSecrets.Azure.Tables;

namespace FuncSecrets.UnitTests.Tables;

public sealed class TableEntityJsonTests
{
    [Fact]
    public void Serialize_TypedProperties_AnnotatesTheTypesJsonCannotCarry()
    {
        var entity = new TableEntity("p", "r");
        entity.Set("S", "text");
        entity.Set("B", new byte[] { 1, 2, 3 });
        entity.Set("L", 9007199254740993L);
        entity.Set("I", 7);
        entity.Set("F", true);
        entity.Set("D", new DateTimeOffset(2024, 5, 1, 14, 0, 0, TimeSpan.FromHours(2)).AddTicks(5));
        entity.Set("Absent", null);

        var json = Encoding.UTF8.GetString(TableEntityJson.Serialize(entity));

        Assert.Equal(
            """{"PartitionKey":"p","RowKey":"r","S":"text","B@odata.type":"Edm.Binary","B":"AQID","L@odata.type":"Edm.Int64","L":"9007199254740993","I":7,"F":true,"D@odata.type":"Edm.DateTime","D":"2024-05-01T12:00:00.0000005Z"}""",
            json);
    }

    [Fact]
    public void Read_MinimalMetadata_RestoresTypesFromAnnotations()
    {
        using var document = JsonDocument.Parse(
            """{"odata.etag":"W/\"e\"","PartitionKey":"p","RowKey":"r","Timestamp":"2024-01-01T00:00:00Z","B@odata.type":"Edm.Binary","B":"AQID","L@odata.type":"Edm.Int64","L":"12","D@odata.type":"Edm.DateTime","D":"2024-05-01T12:00:00.0000005Z","F":false,"Sel":null}""");

        var entity = TableEntityJson.Read(document.RootElement);

        Assert.Equal("W/\"e\"", entity.ETag);
        Assert.Equal(new byte[] { 1, 2, 3 }, (byte[])entity.Properties["B"]);
        Assert.Equal(12L, entity.Properties["L"]);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero).AddTicks(5), entity.Properties["D"]);
        Assert.Equal(false, entity.GetBoolean("F"));
        Assert.Equal(["B", "D", "F", "L"], entity.Properties.Keys.Order());
    }

    [Fact]
    public void Read_NoMetadata_GettersStillDecodeTheUntypedForms()
    {
        using var document = JsonDocument.Parse("""{"PartitionKey":"p","RowKey":"r","B":"AQID","L":"12","D":"2024-05-01T12:00:00Z"}""");

        var entity = TableEntityJson.Read(document.RootElement);

        Assert.Equal(new byte[] { 1, 2, 3 }, entity.GetBinary("B"));
        Assert.Equal(12L, entity.GetInt64("L"));
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), entity.GetDateTime("D"));
    }
}
