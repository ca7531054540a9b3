using FuncSecrets.Azure.Tables;

namespace FuncSecrets.UnitTests.Tables;

public sealed class StorageConnectionStringTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void Parse_UseDevelopmentStorage_PointsAtAzuriteDefaults()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal(Convert.FromBase64String(Key), parsed.AccountKey);
    }

    [Fact]
    public void Parse_ExplicitTableEndpoint_UsesItAndKeepsTheKeysTrailingEquals()
    {
        var parsed = StorageConnectionString.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={Key};TableEndpoint=http://127.0.0.1:4567/devstoreaccount1/;");

        Assert.Equal(new Uri("http://127.0.0.1:4567/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal(64, parsed.AccountKey.Length);
    }

    [Fact]
    public void Parse_EndpointSuffix_BuildsTheAccountsTableHost()
    {
        var parsed = StorageConnectionString.Parse($"defaultendpointsprotocol=https;accountname=prodacct;accountkey={Key};endpointsuffix=core.chinacloudapi.cn");

        Assert.Equal(new Uri("https://prodacct.table.core.chinacloudapi.cn"), parsed.TableEndpoint);
        Assert.Equal("prodacct", parsed.AccountName);
    }

    [Fact]
    public void Parse_NoSuffixOrEndpoint_DefaultsToPublicAzureOverHttps()
    {
        var parsed = StorageConnectionString.Parse($"AccountName=acct;AccountKey={Key}");

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), parsed.TableEndpoint);
    }

    [Theory]
    [InlineData("AccountName=acct", "AccountKey")]
    [InlineData("AccountKey=abcd", "AccountName")]
    public void Parse_MissingSetting_NamesIt(string connectionString, string missing)
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));

        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public void Parse_KeyNotBase64_FailsWithoutEchoingTheKey()
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse("AccountName=acct;AccountKey=not*base64*secret"));

        Assert.DoesNotContain("not*base64*secret", error.Message);
    }

    [Fact]
    public void Parse_SharedAccessSignature_IsRejected()
    {
        Assert.Throws<FormatException>(() => StorageConnectionString.Parse("TableEndpoint=https://a.table.core.windows.net;SharedAccessSignature=sv=2019&sig=x"));
    }
}
