using System.Text.Json;
using FuncSecrets.Core.Errors;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Rotation;

namespace FuncSecrets.UnitTests.Rotation;

public class BuiltInPasswordRotatorTests
{
    private static readonly PasswordRules Rules = new(Length: 40, ExcludeCharacters: "/@\"'\\");

    [Fact]
    public void NewValue_JsonObject_ReplacesOnlyThePassword()
    {
        var current = SecretPayload.FromString("""{"username":"app","password":"old-password","host":"db.internal","port":5432}""");

        var (text, _) = SecretPayload.Read(BuiltInPasswordRotator.NewValue(current, Rules));

        using var json = JsonDocument.Parse(text!);
        var root = json.RootElement;
        Assert.Equal(["username", "password", "host", "port"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("app", root.GetProperty("username").GetString());
        Assert.Equal("db.internal", root.GetProperty("host").GetString());
        Assert.Equal(5432, root.GetProperty("port").GetInt32());
        var password = root.GetProperty("password").GetString()!;
        Assert.Equal(40, password.Length);
        Assert.NotEqual("old-password", password);
        Assert.DoesNotContain(password, c => "/@\"'\\".Contains(c));
    }

    [Fact]
    public void NewValue_JsonObjectWithoutPassword_AddsOne()
    {
        var (text, _) = SecretPayload.Read(BuiltInPasswordRotator.NewValue(SecretPayload.FromString("""{"username":"app"}"""), Rules));

        using var json = JsonDocument.Parse(text!);
        Assert.Equal("app", json.RootElement.GetProperty("username").GetString());
        Assert.Equal(40, json.RootElement.GetProperty("password").GetString()!.Length);
    }

    [Theory]
    [InlineData("plain-old-password")]
    [InlineData("[1,2,3]")]
    [InlineData("{not json")]
    public void NewValue_NotAJsonObject_IsTheNewPassword(string current)
    {
        var (text, binary) = SecretPayload.Read(BuiltInPasswordRotator.NewValue(SecretPayload.FromString(current), Rules));

        Assert.Null(binary);
        Assert.Equal(40, text!.Length);
        Assert.NotEqual(current, text);
    }

    [Fact]
    public void NewValue_NoValueYet_IsTheNewPassword()
    {
        var (text, _) = SecretPayload.Read(BuiltInPasswordRotator.NewValue(null, Rules));

        Assert.Equal(40, text!.Length);
    }

    [Fact]
    public void NewValue_BinarySecret_IsRefused()
    {
        var error = Assert.Throws<AwsException>(() => BuiltInPasswordRotator.NewValue(SecretPayload.FromBinary([1, 2, 3]), Rules));

        Assert.Equal("InvalidRequestException", error.Code);
    }
}
