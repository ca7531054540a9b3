using System.Text;
using System.Text.Json;
using FuncSecrets.TestSupport.Signing;

namespace FuncSecrets.IntegrationTests.Faults.Support;

/// <summary>One generated request: the bytes on the wire, and whether it names an X-Amz-Target.</summary>
public sealed record MalformedCase(string Category, byte[] Raw, bool HasTarget);

/// <summary>
/// A seeded generator of bad requests for every operation: broken JSON, wrong member types,
/// invalid UTF-8, missing and extra members, wrong content types, unknown targets, bodies over the
/// limit, oversized headers, broken signatures and random bytes. Bodies are signed correctly
/// (unless the category is about signing) so the decoder behind authentication sees them.
/// </summary>
public sealed class MalformedRequests(Random random, int port, string accessKeyId, string secretAccessKey)
{
    public static readonly string[] Operations =
    [
        "BatchGetSecretValue", "CancelRotateSecret", "CreateSecret", "DeleteResourcePolicy", "DeleteSecret", "DescribeSecret",
        "GetRandomPassword", "GetResourcePolicy", "GetSecretValue", "ListSecretVersionIds", "ListSecrets", "PutResourcePolicy",
        "PutSecretValue", "RemoveRegionsFromReplication", "ReplicateSecretToRegions", "RestoreSecret", "RotateSecret",
        "StopReplicationToReplica", "TagResource", "UntagResource", "UpdateSecret", "UpdateSecretVersionStage", "ValidateResourcePolicy",
    ];

    private static readonly string[] Members =
    [
        "SecretId", "Name", "SecretString", "SecretBinary", "ClientRequestToken", "VersionId", "VersionStage", "VersionStages",
        "MaxResults", "NextToken", "RecoveryWindowInDays", "ForceDeleteWithoutRecovery", "Tags", "TagKeys", "Filters", "SortOrder",
        "RotationRules", "RotationLambdaARN", "RotateImmediately", "IncludeDeprecated", "PasswordLength", "ExcludeCharacters",
        "ResourcePolicy", "BlockPublicPolicy", "KmsKeyId", "Description", "SecretIdList", "MoveToVersionId", "RemoveFromVersionId",
        "AddReplicaRegions", "RemoveReplicaRegions", "ForceOverwriteReplicaSecret", "IncludePlannedDeletion",
    ];

    private static readonly string[] WrongValues =
    [
        "12345", "-1", "0", "1e309", "-9223372036854775809", "3.75", "true", "false", "null", "[]", "[1,\"a\",null]", "{}",
        "{\"x\":{\"y\":[]}}", "\"\"", "\"not-base64-!!\"", "\"\\u0000\\u0001\"", "\"\\ud800\"", "\"" + new string('x', 70_000) + "\"",
        new string('[', 300) + new string(']', 300), "\"arn:aws:secretsmanager:us-east-1:123456789012:secret:x\"",
        "[{\"Key\":1,\"Value\":[]}]", "{\"AutomaticallyAfterDays\":\"seven\"}", "[{\"Key\":\"name\",\"Values\":\"x\"}]",
    ];

    private readonly string _host = $"127.0.0.1:{port}";

    /// <summary>Each value a request sends as a secret, so the leak scan can look for it.</summary>
    public Func<string> NewValue { get; init; } = () => "fuzz-value";

    public IEnumerable<MalformedCase> Generate()
    {
        for (var i = 0; i < 200; i++)
        {
            yield return Json("bad-json", Op(), BadJson());
        }

        for (var i = 0; i < 250; i++)
        {
            yield return Json("wrong-types", Op(), Encoding.UTF8.GetBytes($"{{\"{Pick(Members)}\":{Pick(WrongValues)},\"{Pick(Members)}\":{Pick(WrongValues)}}}"));
        }

        for (var i = 0; i < 120; i++)
        {
            yield return Json("invalid-utf8", Op(), InvalidUtf8());
        }

        for (var i = 0; i < 150; i++)
        {
            yield return Json("missing-extra-members", Op(), MissingOrExtra());
        }

        var contentTypes = new[] { null, "text/plain", "application/json", "application/xml", "multipart/form-data; boundary=x", "application/x-amz-json-1.0", "; ;;", "application/x-amz-json-1.1; charset=latin1" };
        for (var i = 0; i < 80; i++)
        {
            var body = Encoding.UTF8.GetBytes($"{{\"SecretId\":\"fuzz-{random.Next(20)}\"}}");
            yield return Signed("wrong-content-type", "secretsmanager." + Op(), Pick(contentTypes), body);
        }

        var targets = new[] { "secretsmanager.Nope", "SecretsManager.GetSecretValue", "kms.Decrypt", "secretsmanager.", "secretsmanager", ".GetSecretValue",
            "secretsmanager.GetSecretValue ", "secretsmanager.getsecretvalue", "secretsmanager.GetSecretValue.Extra", "secretsmanager." + new string('A', 5000), "secretsmanager.Ünïcødé" };
        for (var i = 0; i < 100; i++)
        {
            yield return Signed("unknown-target", Pick(targets), "application/x-amz-json-1.1", "{}"u8.ToArray());
        }

        for (var i = 0; i < 30; i++)
        {
            yield return HugeBody(i);
        }

        for (var i = 0; i < 60; i++)
        {
            yield return OversizedHeaders(i);
        }

        for (var i = 0; i < 100; i++)
        {
            yield return Json("random-body", Op(), Bytes(random.Next(0, 2048)));
        }

        for (var i = 0; i < 60; i++)
        {
            yield return BrokenAuth(i);
        }

        for (var i = 0; i < 150; i++)
        {
            yield return new MalformedCase("random-bytes", RandomWire(i), HasTarget: false);
        }
    }

    private string Op() => Pick(Operations);

    private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private byte[] BadJson()
    {
        var valid = ValidBody(Op());
        return random.Next(8) switch
        {
            0 => valid[..random.Next(valid.Length)],
            1 => [.. valid, .. Encoding.UTF8.GetBytes(Pick(new[] { "}", "]", ",", "x", "{}", " // c" }))],
            2 => Encoding.UTF8.GetBytes(Pick(new[] { "[]", "null", "\"str\"", "123", "true", "{", "}", "{\"a\"}", "{\"a\":}", "{,}", "{'SecretId':'x'}", "{\"SecretId\":NaN}", "\uFEFF{}" })),
            3 => Encoding.UTF8.GetBytes(new string('{', random.Next(1, 3000))),
            4 => Encoding.UTF8.GetBytes("{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 1000)) + "1" + new string('}', 1001)),
            5 => Encoding.UTF8.GetBytes("{\"SecretId\":\"x\",\"SecretId\":\"y\",\"SecretId\":[]}"),
            6 => Encoding.UTF8.GetBytes("{/* comment */\"SecretId\":\"x\"}"),
            _ => valid.Select(b => random.Next(20) == 0 ? (byte)random.Next(32, 127) : b).ToArray(),
        };
    }

    private byte[] InvalidUtf8()
    {
        byte[][] bad = [[0xC3, 0x28], [0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xE2, 0x82]];
        var head = Encoding.UTF8.GetBytes($"{{\"{Pick(Members)}\":\"fuzz-");
        var tail = Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "\"}" : "\",\"SecretString\":\"x\"}");
        return [.. head, .. Pick(bad), .. tail];
    }

    private byte[] MissingOrExtra()
    {
        var op = Op();
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(ValidBody(op))!;
        switch (random.Next(3))
        {
            case 0 when body.Count > 0:
                body.Remove(body.Keys.ElementAt(random.Next(body.Count)));
                break;
            case 1:
                body["Unexpected" + random.Next(1000)] = JsonSerializer.SerializeToElement(new { nested = new[] { 1, 2 } });
                break;
            default:
                body.Clear();
                break;
        }

        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    /// <summary>A body that would be valid for <paramref name="op"/> (values are fresh, and remembered).</summary>
    private byte[] ValidBody(string op)
    {
        var name = $"fuzz-{random.Next(20)}";
        object body = op switch
        {
            "CreateSecret" => new { Name = name, SecretString = NewValue(), ClientRequestToken = Guid.NewGuid().ToString() },
            "PutSecretValue" => new { SecretId = name, SecretString = NewValue(), ClientRequestToken = Guid.NewGuid().ToString() },
            "UpdateSecret" => new { SecretId = name, Description = "d", SecretString = NewValue(), ClientRequestToken = Guid.NewGuid().ToString() },
            "ListSecrets" => new { MaxResults = 5, SortOrder = "asc" },
            "GetRandomPassword" => new { PasswordLength = 20, ExcludePunctuation = true },
            "TagResource" => new { SecretId = name, Tags = new[] { new { Key = "k", Value = "v" } } },
            "UntagResource" => new { SecretId = name, TagKeys = new[] { "k" } },
            "UpdateSecretVersionStage" => new { SecretId = name, VersionStage = "blue", MoveToVersionId = Guid.NewGuid().ToString() },
            "DeleteSecret" => new { SecretId = name, RecoveryWindowInDays = 7 },
            "BatchGetSecretValue" => new { SecretIdList = new[] { name, "fuzz-1" } },
            "PutResourcePolicy" or "ValidateResourcePolicy" => new { SecretId = name, ResourcePolicy = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" },
            "RotateSecret" => new { SecretId = name, RotationRules = new { AutomaticallyAfterDays = 7 }, ClientRequestToken = Guid.NewGuid().ToString() },
            "ReplicateSecretToRegions" => new { SecretId = name, AddReplicaRegions = new[] { new { Region = "eu-west-1" } } },
            _ => new { SecretId = name },
        };
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }

    private MalformedCase Json(string category, string op, byte[] body) =>
        Signed(category, "secretsmanager." + op, "application/x-amz-json-1.1", body);

    private MalformedCase HugeBody(int i)
    {
        var size = (1024 * 1024) + 1 + random.Next(0, i < 20 ? 64 * 1024 : 2 * 1024 * 1024);
        var body = Encoding.UTF8.GetBytes("{\"SecretId\":\"fuzz-1\",\"SecretString\":\"" + new string('v', size) + "\"}");
        if (i % 3 != 2)
        {
            return Signed("huge-body", "secretsmanager." + Op(), "application/x-amz-json-1.1", body);
        }

        // Chunked: no Content-Length to refuse up front; the limit must be met while reading.
        var chunked = new MemoryStream();
        foreach (var chunk in body.Chunk(64 * 1024))
        {
            chunked.Write(Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n"));
            chunked.Write(chunk);
            chunked.Write("\r\n"u8);
        }

        chunked.Write("0\r\n\r\n"u8);
        var head = $"POST / HTTP/1.1\r\nHost: {_host}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: secretsmanager.{Op()}\r\n"
            + "Authorization: AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host, Signature=00\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        return new MalformedCase("huge-body", [.. Encoding.ASCII.GetBytes(head), .. chunked.ToArray()], HasTarget: true);
    }

    private MalformedCase OversizedHeaders(int i)
    {
        var extra = (i % 4) switch
        {
            0 => $"X-Big: {new string('h', 40 * 1024 + random.Next(10_000))}\r\n",
            1 => string.Concat(Enumerable.Range(0, 150 + random.Next(100)).Select(n => $"X-Many-{n}: {new string('m', 200)}\r\n")),
            2 => $"X-Amz-Target: secretsmanager.{new string('T', 40 * 1024)}\r\n",
            _ => $"Authorization: AWS4-HMAC-SHA256 {new string('a', 40 * 1024)}\r\n",
        };
        var head = $"POST /{(i % 5 == 4 ? new string('p', 70 * 1024) : string.Empty)} HTTP/1.1\r\nHost: {_host}\r\nContent-Type: application/x-amz-json-1.1\r\n"
            + $"X-Amz-Target: secretsmanager.GetSecretValue\r\n{extra}Content-Length: 2\r\nConnection: close\r\n\r\n{{}}";
        return new MalformedCase("oversized-headers", Encoding.ASCII.GetBytes(head), HasTarget: true);
    }

    private MalformedCase BrokenAuth(int i)
    {
        var authorization = (i % 6) switch
        {
            0 => null,
            1 => "AWS4-HMAC-SHA256",
            2 => "AWS4-HMAC-SHA256 Credential=, SignedHeaders=, Signature=",
            3 => $"AWS4-HMAC-SHA256 Credential={accessKeyId}/20260101/us-east-1/secretsmanager/aws4_request, SignedHeaders=host;x-amz-date, Signature={new string('0', 64)}",
            4 => "Basic dXNlcjpwYXNz",
            _ => Encoding.Latin1.GetString(Bytes(40).Select(b => (byte)(32 + (b % 95))).ToArray()),
        };
        var head = $"POST / HTTP/1.1\r\nHost: {_host}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: secretsmanager.{Op()}\r\n"
            + (authorization is null ? string.Empty : $"Authorization: {authorization}\r\n")
            + (i % 2 == 0 ? "X-Amz-Date: not-a-date\r\n" : string.Empty)
            + "Content-Length: 2\r\nConnection: close\r\n\r\n{}";
        return new MalformedCase("broken-auth", Encoding.Latin1.GetBytes(head), HasTarget: true);
    }

    private byte[] RandomWire(int i) => (i % 3) switch
    {
        0 => Bytes(random.Next(1, 4096)),
        1 => [.. Encoding.ASCII.GetBytes(Pick(new[] { "POST / HTTP/1.1\r\n", "GET / HTTP/1.1\r\nHost: x\r\n", "POST / HTTP/9.9\r\n", "BREW / HTCPCP/1.0\r\n", "\r\n\r\n" })), .. Bytes(random.Next(0, 512))],
        _ => Encoding.ASCII.GetBytes($"POST / HTTP/1.1\r\nHost: {_host}\r\nContent-Length: {random.Next(10, 1000)}\r\nX-Amz-Target: secretsmanager.GetSecretValue\r\nConnection: close\r\n\r\n{{\"Sec"),
    };

    /// <summary>Signs <paramref name="body"/> with AWSSDK.Core's signer and frames it as HTTP/1.1.</summary>
    private MalformedCase Signed(string category, string target, string? contentType, byte[] body)
    {
        var headers = JsonRequestSigner.Sign(new Uri($"http://{_host}/"), target, body, accessKeyId, secretAccessKey, DateTime.UtcNow, contentType: contentType);
        var head = new StringBuilder("POST / HTTP/1.1\r\n");
        if (!headers.Any(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            head.Append("Host: ").Append(_host).Append("\r\n");
        }

        foreach (var (name, value) in headers)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                head.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        head.Append("Content-Length: ").Append(body.Length).Append("\r\nConnection: close\r\n\r\n");
        return new MalformedCase(category, [.. Encoding.UTF8.GetBytes(head.ToString()), .. body], HasTarget: true);
    }
}
