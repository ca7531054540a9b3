namespace FuncSecrets.Core.Audit;

/// <summary>Whether an audit record is about a secret named by name, full ARN or partial ARN.</summary>
public static class AuditMatch
{
    public static bool IsAbout(AuditRecord record, string secret)
    {
        var resource = record.Resource;
        if (resource is null)
        {
            return false;
        }

        if (resource == secret || resource.StartsWith(secret, StringComparison.Ordinal) && secret.StartsWith("arn:", StringComparison.Ordinal))
        {
            return true;
        }

        // A name matches the ARN that ends in ":secret:<name>-XXXXXX".
        var marker = ":secret:" + secret + "-";
        var at = resource.LastIndexOf(marker, StringComparison.Ordinal);
        return at >= 0 && resource.Length == at + marker.Length + 6;
    }
}
