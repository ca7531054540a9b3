using System.Text;
using System.Text.Json;
using FuncSecrets.Core.Model;
using FuncSecrets.Core.Replication;

namespace FuncSecrets.Azure.Tables;

/// <summary>
/// The JSON held in the metadata row's string properties (tags, rotation rules, the version map,
/// the replicas).
/// Written with <see cref="Utf8JsonWriter"/>'s default encoder, which escapes every non-ASCII
/// character, so the text is ASCII and splits at any character.
/// </summary>
internal static class SecretJson
{
    private const string Key = "Key";
    private const string Value = "Value";
    private const string AutomaticallyAfterDays = "AutomaticallyAfterDays";
    private const string Duration = "Duration";
    private const string ScheduleExpression = "ScheduleExpression";
    private const string CreatedDate = "CreatedDate";
    private const string Stages = "Stages";
    private const string Region = "Region";
    private const string KmsKeyId = "KmsKeyId";
    private const string Status = "Status";
    private const string StatusMessage = "StatusMessage";
    private const string LastAccessedDate = "LastAccessedDate";
    private const string ForceOverwrite = "ForceOverwrite";

    public static string WriteTags(IReadOnlyList<Tag> tags) => Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var tag in tags)
        {
            writer.WriteStartObject();
            writer.WriteString(Key, tag.Key);
            writer.WriteString(Value, tag.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    public static List<Tag> ReadTags(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(t => new Tag(
            t.GetProperty(Key).GetString() ?? string.Empty,
            t.GetProperty(Value).GetString() ?? string.Empty))];
    }

    public static string WriteRotationRules(RotationRules rules) => Write(writer =>
    {
        writer.WriteStartObject();
        if (rules.AutomaticallyAfterDays is { } days)
        {
            writer.WriteNumber(AutomaticallyAfterDays, days);
        }

        if (rules.Duration is not null)
        {
            writer.WriteString(Duration, rules.Duration);
        }

        if (rules.ScheduleExpression is not null)
        {
            writer.WriteString(ScheduleExpression, rules.ScheduleExpression);
        }

        writer.WriteEndObject();
    });

    public static RotationRules ReadRotationRules(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new RotationRules(
            root.TryGetProperty(AutomaticallyAfterDays, out var days) ? days.GetInt64() : null,
            root.TryGetProperty(Duration, out var duration) ? duration.GetString() : null,
            root.TryGetProperty(ScheduleExpression, out var expression) ? expression.GetString() : null);
    }

    public static string WriteVersions(Dictionary<string, VersionEntry> versions) => Write(writer =>
    {
        writer.WriteStartObject();
        foreach (var (id, entry) in versions)
        {
            writer.WriteStartObject(id);
            writer.WriteString(CreatedDate, entry.CreatedDate.ToUniversalTime());
            writer.WriteStartArray(Stages);
            foreach (var stage in entry.Stages)
            {
                writer.WriteStringValue(stage);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    });

    public static Dictionary<string, VersionEntry> ReadVersions(string json)
    {
        using var document = JsonDocument.Parse(json);
        var versions = new Dictionary<string, VersionEntry>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            versions[property.Name] = new VersionEntry
            {
                CreatedDate = property.Value.GetProperty(CreatedDate).GetDateTimeOffset(),
                Stages = [.. property.Value.GetProperty(Stages).EnumerateArray().Select(s => s.GetString() ?? string.Empty)],
            };
        }

        return versions;
    }

    public static string WriteReplicas(IReadOnlyList<ReplicaState> replicas) => Write(writer =>
    {
        writer.WriteStartArray();
        foreach (var replica in replicas)
        {
            writer.WriteStartObject();
            writer.WriteString(Region, replica.Region);
            WriteOptional(writer, KmsKeyId, replica.KmsKeyId);
            writer.WriteString(Status, replica.Status);
            WriteOptional(writer, StatusMessage, replica.StatusMessage);
            if (replica.LastAccessedDate is { } accessed)
            {
                writer.WriteString(LastAccessedDate, accessed.ToUniversalTime());
            }

            if (replica.ForceOverwrite)
            {
                writer.WriteBoolean(ForceOverwrite, true);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    public static List<ReplicaState> ReadReplicas(string json)
    {
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateArray().Select(r => new ReplicaState(
            r.GetProperty(Region).GetString() ?? string.Empty,
            r.TryGetProperty(KmsKeyId, out var key) ? key.GetString() : null,
            r.GetProperty(Status).GetString() ?? ReplicaState.InProgress,
            r.TryGetProperty(StatusMessage, out var message) ? message.GetString() : null,
            r.TryGetProperty(LastAccessedDate, out var accessed) ? accessed.GetDateTimeOffset() : null,
            r.TryGetProperty(ForceOverwrite, out var force) && force.GetBoolean()))];
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
