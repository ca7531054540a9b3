namespace FuncSecrets.Core.Model;

/// <summary>
/// The staging labels AWS defines and its limits on them. The rules that move labels belong to
/// <see cref="Secret"/>, the one type that changes them.
/// </summary>
public static class StagingLabels
{
    public const string Current = "AWSCURRENT";
    public const string Previous = "AWSPREVIOUS";
    public const string Pending = "AWSPENDING";

    /// <summary>AWS's quota of versions per secret.</summary>
    public const int MaxVersions = 100;

    /// <summary>AWS's limit of staging labels attached to one version.</summary>
    public const int MaxLabelsPerVersion = 20;

    /// <summary>Labels as AWS lists them in responses: sorted ordinally.</summary>
    public static List<string> Sorted(IEnumerable<string> stages)
    {
        var list = stages.ToList();
        list.Sort(StringComparer.Ordinal);
        return list;
    }

    public static string? FindVersion(SecretRecord record, string label)
    {
        foreach (var (id, entry) in record.Versions)
        {
            if (entry.Stages.Contains(label, StringComparer.Ordinal))
            {
                return id;
            }
        }

        return null;
    }
}
