namespace FuncSecrets.Azure.Tables;

/// <summary>
/// Every row key and property name the secret tables use, in one place. Changing a name here is a
/// storage format change.
/// </summary>
internal static class SecretTableProperties
{
    // ---- System properties -----------------------------------------------------------------
    public const string PartitionKey = "PartitionKey";
    public const string RowKey = "RowKey";

    // ---- Row keys --------------------------------------------------------------------------
    /// <summary>The row key of a secret's metadata row.</summary>
    public const string MetaRowKey = "meta";

    /// <summary>Prefix of version rows: <c>v:</c> + escaped version id.</summary>
    public const string VersionRowPrefix = "v:";

    /// <summary>Exclusive upper bound of the version rows (':' + 1 = ';').</summary>
    public const string VersionRowEnd = "v;";

    // ---- Both row kinds --------------------------------------------------------------------
    /// <summary>Layout version of the row, so a later layout can migrate.</summary>
    public const string Schema = "Schema";
    public const string CreatedDate = "CreatedDate";
    public const string LastAccessedDate = "LastAccessedDate";

    // ---- Metadata row ----------------------------------------------------------------------
    public const string Name = "Name";
    public const string ArnSuffix = "ArnSuffix";
    public const string Description = "Description";
    public const string KmsKeyId = "KmsKeyId";

    /// <summary>JSON array of {Key, Value}; absent until first tagged.</summary>
    public const string Tags = "Tags";
    public const string ResourcePolicy = "ResourcePolicy";
    public const string RotationEnabled = "RotationEnabled";
    public const string RotationLambdaArn = "RotationLambdaArn";

    /// <summary>JSON object {AutomaticallyAfterDays, Duration, ScheduleExpression}.</summary>
    public const string RotationRules = "RotationRules";
    public const string LastRotatedDate = "LastRotatedDate";
    public const string NextRotationDate = "NextRotationDate";
    public const string RotationToken = "RotationToken";
    public const string DeletedDate = "DeletedDate";
    public const string PurgeDate = "PurgeDate";
    public const string LastChangedDate = "LastChangedDate";

    /// <summary>JSON object: version id → {CreatedDate, Stages}.</summary>
    public const string Versions = "Versions";

    /// <summary>
    /// On a primary: JSON array of its replicas [{Region, KmsKeyId, Status, StatusMessage,
    /// LastAccessedDate, ForceOverwrite}] (issue 14); absent when it was never replicated.
    /// </summary>
    public const string Replicas = "Replicas";

    /// <summary>On a replica: the AWS Region name of its primary (issue 14).</summary>
    public const string PrimaryRegion = "PrimaryRegion";

    /// <summary>The AWSCURRENT copy of the sealed value (see <see cref="KeyId"/> ... <see cref="Ciphertext"/>).</summary>
    public const string CurrentKeyId = "CurKeyId";
    public const string CurrentWrappedKey = "CurKey";
    public const string CurrentNonce = "CurNonce";
    public const string CurrentCiphertext = "CurCt";

    // ---- Version row -----------------------------------------------------------------------
    public const string KeyId = "KeyId";
    public const string WrappedKey = "WrappedKey";
    public const string Nonce = "Nonce";

    /// <summary>Ciphertext + tag; beyond 64 KiB continued in <c>Ct2</c> (see <see cref="SplitProperty"/>).</summary>
    public const string Ciphertext = "Ct";

    // ---- Due index row ---------------------------------------------------------------------
    public const string Due = "Due";

    /// <summary>
    /// Names of the parts of a split value: <c>base</c>, <c>base2</c>, <c>base3</c>, ...
    /// </summary>
    /// <remarks>
    /// Every read probes the next part's name, so the names are built once per base name and kept
    /// rather than formatted on each probe.
    /// </remarks>
    public static string SplitProperty(string baseName, int part)
    {
        if (part == 1)
        {
            return baseName;
        }

        var names = SplitNames.GetOrAdd(baseName, static name => [.. Enumerable.Range(0, SplitNamesCached + 1)
            .Select(i => name + i.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        return part < names.Length ? names[part] : baseName + part.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Parts 2 to 17: one more than the mappers' limit, which they probe to find the end.</summary>
    private const int SplitNamesCached = 17;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]> SplitNames = new(StringComparer.Ordinal);
}
