namespace FuncSecrets.Core.Auth.Policy;

/// <summary>
/// The condition operators a policy may use (IAM User Guide, "IAM JSON policy elements: Condition
/// operators"). The string, ARN, IP, Bool and Null families are evaluated; the numeric, date and
/// binary families are accepted (AWS accepts them) but no request key here carries such a value,
/// so they evaluate fail-closed: never satisfied in an Allow, always satisfied in a Deny.
/// </summary>
internal static class ConditionOperators
{
    public const string StringEquals = "StringEquals";
    public const string StringNotEquals = "StringNotEquals";
    public const string StringEqualsIgnoreCase = "StringEqualsIgnoreCase";
    public const string StringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase";
    public const string StringLike = "StringLike";
    public const string StringNotLike = "StringNotLike";
    public const string ArnEquals = "ArnEquals";
    public const string ArnNotEquals = "ArnNotEquals";
    public const string ArnLike = "ArnLike";
    public const string ArnNotLike = "ArnNotLike";
    public const string IpAddress = "IpAddress";
    public const string NotIpAddress = "NotIpAddress";
    public const string Bool = "Bool";
    public const string Null = "Null";

    private const string ForAnyValuePrefix = "ForAnyValue:";
    private const string ForAllValuesPrefix = "ForAllValues:";
    private const string IfExistsSuffix = "IfExists";

    private static readonly string[] Evaluated =
    [
        StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase, StringLike, StringNotLike,
        ArnEquals, ArnNotEquals, ArnLike, ArnNotLike, IpAddress, NotIpAddress, Bool, Null,
    ];

    private static readonly string[] FailClosed =
    [
        "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan",
        "NumericGreaterThanEquals", "DateEquals", "DateNotEquals", "DateLessThan", "DateLessThanEquals",
        "DateGreaterThan", "DateGreaterThanEquals", "BinaryEquals",
    ];

    /// <summary>True for operators that match when the key's value is NOT among the values.</summary>
    public static bool IsNegated(string op) =>
        op is StringNotEquals or StringNotEqualsIgnoreCase or StringNotLike or ArnNotEquals or ArnNotLike or NotIpAddress;

    /// <summary>True for the accepted-but-not-evaluated families.</summary>
    public static bool IsFailClosed(string op) => FailClosed.Contains(op, StringComparer.Ordinal);

    /// <summary>
    /// Splits e.g. <c>ForAnyValue:StringLikeIfExists</c> into its base operator (canonical
    /// spelling), set qualifier and IfExists flag; null for an unknown operator. Operator names
    /// match case-insensitively, as IAM's do.
    /// </summary>
    public static (string Operator, ConditionSet Set, bool IfExists)? Parse(string name)
    {
        var set = ConditionSet.Single;
        var rest = name;
        if (rest.StartsWith(ForAnyValuePrefix, StringComparison.OrdinalIgnoreCase))
        {
            set = ConditionSet.ForAnyValue;
            rest = rest[ForAnyValuePrefix.Length..];
        }
        else if (rest.StartsWith(ForAllValuesPrefix, StringComparison.OrdinalIgnoreCase))
        {
            set = ConditionSet.ForAllValues;
            rest = rest[ForAllValuesPrefix.Length..];
        }

        var ifExists = false;
        if (rest.EndsWith(IfExistsSuffix, StringComparison.OrdinalIgnoreCase) && !string.Equals(rest, Null, StringComparison.OrdinalIgnoreCase))
        {
            ifExists = true;
            rest = rest[..^IfExistsSuffix.Length];
        }

        var canonical = Evaluated.Concat(FailClosed).FirstOrDefault(op => string.Equals(op, rest, StringComparison.OrdinalIgnoreCase));
        if (canonical is null || (canonical == Null && (ifExists || set != ConditionSet.Single)))
        {
            return null;
        }

        return (canonical, set, ifExists);
    }
}
