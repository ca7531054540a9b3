using System.Text.Json;
using System.Text.Json.Nodes;

namespace FuncSecrets.Core.Audit;

/// <summary>
/// Makes the RequestParameters of an audit record from a request serialized as JSON: members
/// that hold secret material are replaced, as CloudTrail does ("HIDDEN_DUE_TO_SECURITY_REASONS").
/// </summary>
public static class AuditRedactor
{
    public const string Hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";

    private static readonly HashSet<string> SecretMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        "SecretString", "SecretBinary", "RandomPassword",
    };

    /// <summary>Redacts a serialized request; anything unreadable becomes null rather than leaking.</summary>
    public static string? Redact(ReadOnlySpan<byte> requestJson)
    {
        try
        {
            var node = JsonNode.Parse(requestJson);
            if (node is null)
            {
                return null;
            }

            Scrub(node);
            return node.ToJsonString();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void Scrub(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (SecretMembers.Contains(name))
                    {
                        obj[name] = Hidden;
                    }
                    else if (obj[name] is { } child)
                    {
                        Scrub(child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        Scrub(item);
                    }
                }

                break;
        }
    }
}
