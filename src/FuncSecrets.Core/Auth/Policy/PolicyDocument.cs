namespace FuncSecrets.Core.Auth.Policy;

/// <summary>Which grammar a policy follows: identity policies name no principal, resource policies must.</summary>
internal enum PolicyKind
{
    Identity,
    Resource,
}

internal enum PolicyEffect
{
    Allow,
    Deny,
}

/// <summary>How a condition treats a multi-valued key (IAM's set operators).</summary>
internal enum ConditionSet
{
    Single,
    ForAnyValue,
    ForAllValues,
}

/// <summary>A parsed IAM policy document (the JSON grammar of the IAM User Guide's policy reference).</summary>
internal sealed record PolicyDocument(IReadOnlyList<PolicyStatement> Statements);

/// <summary>
/// One statement. <see cref="Resources"/> is null when the statement names none, which only a
/// resource policy may do (it then covers the secret it is attached to).
/// </summary>
internal sealed record PolicyStatement(
    string? Sid,
    PolicyEffect Effect,
    PolicyPrincipal? Principal,
    bool NotPrincipal,
    IReadOnlyList<string> Actions,
    bool NotAction,
    IReadOnlyList<string>? Resources,
    bool NotResource,
    IReadOnlyList<PolicyCondition> Conditions);

/// <summary>
/// <c>"Principal": "*"</c> sets <see cref="Everyone"/>; the object form lists ARNs under
/// <c>AWS</c> (which may itself be <c>"*"</c>) and service names under <c>Service</c>.
/// </summary>
internal sealed record PolicyPrincipal(bool Everyone, IReadOnlyList<string> Aws, IReadOnlyList<string> Services)
{
    /// <summary>True when anyone at all matches: <c>"*"</c> or <c>{"AWS": "*"}</c>.</summary>
    public bool IsWildcard => Everyone || Aws.Contains("*");
}

/// <summary>
/// One key test of a <c>Condition</c> block, e.g. <c>StringEquals</c> on
/// <c>aws:ResourceTag/team</c> with values <c>["a","b"]</c>. <see cref="Operator"/> is the base
/// operator in its canonical spelling, without set prefix or <c>IfExists</c>.
/// </summary>
internal sealed record PolicyCondition(string Operator, ConditionSet Set, bool IfExists, string Key, IReadOnlyList<string> Values);

/// <summary>What is wrong with a policy that does not parse.</summary>
internal enum PolicyProblemKind
{
    Syntax,
    UnsupportedPrincipal,
    InvalidServicePrincipal,
}

/// <summary>A parse failure: its class (which decides AWS's error text) and a detail for humans.</summary>
internal sealed record PolicyProblem(PolicyProblemKind Kind, string Detail);
